// Lists open incidents and acknowledges one, with pagerduty-wasm in the browser. The page's
// server (serve.mjs) hands it the endpoint and key in /config.json: the simulator by default,
// PagerDuty when PAGERDUTY_TOKEN is set where the server runs.
import { RestClient, PagerDutyError } from 'pagerduty-wasm';

const status = document.getElementById('status');
const tbody = document.getElementById('incidents');

function describe(e) {
  return e instanceof PagerDutyError
    ? `${e.name} (${e.code}${e.status ? `, HTTP ${e.status}` : ''}): ${e.message}`
    : String(e);
}

function row(incident, client) {
  const tr = document.createElement('tr');
  tr.dataset.id = incident.id;
  const cells = [`#${incident.incident_number}`, incident.status, incident.title];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  tr.children[1].className = `state ${incident.status}`;
  const td = document.createElement('td');
  if (incident.status === 'triggered') {
    const button = document.createElement('button');
    button.textContent = 'Acknowledge';
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const updated = await client.updateIncident(incident.id, { status: 'acknowledged' });
        tr.children[1].textContent = updated.status;
        tr.children[1].className = `state ${updated.status}`;
        button.remove();
        status.textContent = `Acknowledged #${updated.incident_number}.`;
      } catch (e) {
        button.disabled = false;
        status.textContent = `Could not acknowledge: ${describe(e)}`;
      }
    });
    td.append(button);
  }
  tr.append(td);
  return tr;
}

try {
  const config = await (await fetch('./config.json')).json();
  const where = config.baseUrl ? { baseUrl: config.baseUrl } : { region: config.region || 'us' };
  const client = new RestClient(config.token, { ...where, from: config.from });
  let count = 0;
  for await (const incident of client.listIncidents({ statuses: ['triggered', 'acknowledged'], limit: 100 })) {
    tbody.append(row(incident, client));
    count += 1;
  }
  status.textContent = `${count} open incidents.`;
  document.body.dataset.ready = 'true';
} catch (e) {
  status.textContent = `Could not list incidents: ${describe(e)}`;
  document.body.dataset.ready = 'error';
}
