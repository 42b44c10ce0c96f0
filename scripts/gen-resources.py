#!/usr/bin/env python3
"""Generates the resource types of the bindings from PagerDuty's official OpenAPI specs.

    scripts/gen-resources.py            # rewrites the two files below
    scripts/gen-resources.py --check    # exits 1 if they differ from what the specs give

Reads (reference data, never copied into the project):
    ../shared/specs/rest-v2.openapi.json     REST API v2 (components/schemas)
    ../shared/specs/events-v2.openapi.json   Events API v2 (payloads of /enqueue, /change/enqueue)
Writes:
    wasm/npm/resources.d.ts                  TypeScript interfaces (no `any`; JSON is `JsonValue`)
    ffi/python/pagerduty_ffi/resources.py    TypedDicts (total=False, typing only: Python 3.8+)

Rules (the same for both languages):
  * The roots are the resources the operations return and take (ROOTS), plus every schema they
    reference, transitively. Names are the spec's; where ours differ, both are exported (OUR_NAMES).
  * allOf is flattened into one interface (a later part's property replaces an earlier one's,
    keeping its description if it has none); oneOf/anyOf become unions; an object with both
    properties and oneOf becomes a union of the properties merged into each variant; enums become
    string literal unions; `nullable: true` adds null; arrays and additionalProperties are typed;
    untyped values are `JsonValue` (TS) / `Json` (Python).
  * Inline objects get a name from where they are: the component, then each property name in
    PascalCase (`Incident` > `alert_grouping` = `IncidentAlertGrouping`), `Item` for array items,
    a oneOf variant's `title` (else `Option<n>`). Two places giving one name is an error.
  * Required: a resource (a component schema with an `id` property) is returned with fields that
    depend on `include[]`, so only `id` and `type` are required (`type` except where PagerDuty
    leaves it out: TYPE_NOT_RETURNED); any other object follows the spec's `required`.
    writeOnly properties are left out (they never appear in responses). In Python every
    TypedDict is total=False (`typing` only, 3.8+): required keys are not enforced there.
  * Every type gets the first sentence of the spec's description and the spec location it came
    from. Output is sorted by name within each section and formatted the same way every run.
Hand-written types (not in the specs) are in HAND_WRITTEN below, each with its source.
Standard library only.
"""
import argparse
import difflib
import hashlib
import json
import keyword
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_FILES = {'rest': 'rest-v2.openapi.json', 'events': 'events-v2.openapi.json'}
OUT_TS = 'wasm/npm/resources.d.ts'
OUT_PY = 'ffi/python/pagerduty_ffi/resources.py'
SCRIPT = 'scripts/gen-resources.py'

# The roots: (spec, JSON pointer). A component keeps its spec name; other places are named in NAMES.
ROOTS = [('rest', '#/components/schemas/' + n) for n in [
    'Alert', 'ChangeEvent', 'ContactMethod', 'EscalationPolicy', 'Incident', 'IncidentNote',
    'Integration', 'LogEntry', 'NotificationRule', 'Oncall', 'Override', 'Priority', 'Schedule',
    'Service', 'Tag', 'Team', 'User',
]] + [
    # GET /abilities answers {"abilities": [Ability, ...]}: the spec has no named schema.
    ('rest', '#/paths/~1abilities/get/responses/200/content/application~1json/schema/allOf/0/properties/abilities/items'),
    ('events', '#/components/schemas/Payload'),
    ('events', '#/components/schemas/ChangeEventPayload'),
    # The request bodies of POST /enqueue (operationId createV2Event) and POST /change/enqueue.
    ('events', '#/paths/~1enqueue/post/requestBody/content/application~1json/schema'),
    ('events', '#/paths/~1change~1enqueue/post/requestBody/content/application~1json/schema'),
]
NAMES = {
    ('rest', '#/paths/~1abilities/get/responses/200/content/application~1json/schema/allOf/0/properties/abilities/items'): 'Ability',
    ('events', '#/paths/~1enqueue/post/requestBody/content/application~1json/schema'): 'V2Event',
    ('events', '#/paths/~1change~1enqueue/post/requestBody/content/application~1json/schema'): 'V2ChangeEvent',
    ('events', '#/components/schemas/Links/items'): 'Link',
    ('events', '#/components/schemas/Images/items'): 'Image',
}
# Our name -> the spec's name, where they differ (both are exported).
OUR_NAMES = {'Note': 'IncidentNote', 'OnCall': 'Oncall', 'Trigger': 'Payload'}
# Resources whose `type` the API leaves out of responses, although the schema defines one:
# GET /schedules/{id}/overrides answers overrides as {id, start, end, user} (the spec's own example).
TYPE_NOT_RETURNED = {'Override'}

# ---------------------------------------------------------------------------------------------
# The type model: tuples, rendered by ts() and py().
#   ('str',) ('int',) ('num',) ('bool',) ('null',) ('json',) ('jsonobj',)
#   ('ref', name) ('lit', (values...)) ('arr', t) ('map', t) ('union', (t, ...))
STR, INT, NUM, BOOL, NULL, JSON, JSONOBJ = ('str',), ('int',), ('num',), ('bool',), ('null',), ('json',), ('jsonobj',)


def ref(name):
    return ('ref', name)


def union(*types):
    out = []
    for t in types:
        for m in (t[1] if t[0] == 'union' else (t,)):
            if m not in out:
                out.append(m)
    if NULL in out:  # null last
        out.remove(NULL)
        out.append(NULL)
    return out[0] if len(out) == 1 else ('union', tuple(out))


class Field:
    def __init__(self, name, type_, required, doc='', deprecated=False):
        self.name, self.type, self.required, self.doc, self.deprecated = name, type_, required, doc, deprecated


class Interface:
    kind = 'interface'

    def __init__(self, name, doc, source, fields, index=None, deprecated=False):
        self.name, self.doc, self.source, self.fields = name, doc, source, fields
        self.index, self.deprecated = index, deprecated


class Alias:
    kind = 'alias'

    def __init__(self, name, doc, source, type_, deprecated=False):
        self.name, self.doc, self.source, self.type, self.deprecated = name, doc, source, type_, deprecated


# Not in the specs: written here by hand, with where each comes from.
def hand_written():
    link_image = [
        Field('links', ('arr', ref('Link')), False, 'Links, sent as v1 `contexts` of type `link`.'),
        Field('images', ('arr', ref('Image')), False, 'Images, sent as v1 `contexts` of type `image`.'),
    ]
    return [
        # Events API v1 is not in PagerDuty's events-v2 spec (api-schema has a separate, legacy
        # events-v1 spec that is not in ../shared/specs). This is the event the bindings take
        # (core/src/events.rs `V1Event`): the client adds service_key (the routing key) and
        # event_type (the action), and sends links/images as v1 `contexts`.
        Interface('V1Event', 'A legacy Events API v1 event (the fields besides service_key and event_type).',
                  'hand-written: the Events API v1 event the bindings take, core/src/events.rs V1Event', [
                      Field('incident_key', STR, False, 'The incident\'s key; generated for a trigger when absent, required otherwise.'),
                      Field('description', STR, False, 'What is wrong (required for a trigger; at most 1024 characters).'),
                      Field('details', JSONOBJ, False, 'Free-form details.'),
                      Field('client', STR, False, 'The name of the monitoring client.'),
                      Field('client_url', STR, False, 'A URL of the monitoring client.'),
                  ] + link_image),
        # Webhooks v3 payloads are not in the REST spec (it has WebhookSubscription, not the
        # payload). From https://developer.pagerduty.com/docs/webhooks-overview: the body is
        # {"event": {...}}; `data` is the resource and its shape depends on `resource_type`.
        Interface('WebhookEvent', 'A webhook v3 event: what happened (`event_type`), to what (`resource_type`, `data`), by whom (`agent`).',
                  'hand-written: https://developer.pagerduty.com/docs/webhooks-overview, core/src/webhook.rs WebhookEvent', [
                      Field('id', STR, True, 'The event\'s ID.'),
                      Field('event_type', STR, True, 'What happened: `incident.triggered`, `incident.acknowledged`, `service.updated`, ...'),
                      Field('resource_type', STR, True, 'The kind of resource in `data`: `incident`, `service`, ...'),
                      Field('occurred_at', STR, True, 'When it happened (ISO 8601).'),
                      Field('agent', union(ref('Reference'), NULL), False, 'Who or what caused it: a user, service or integration reference.'),
                      Field('client', union(ref('WebhookClient'), NULL), False, 'The client that caused it, if any.'),
                      Field('data', JSONOBJ, True, 'The resource; its fields depend on `resource_type` and `event_type`.'),
                  ]),
        Interface('WebhookClient', 'The client that caused a webhook event.',
                  'hand-written: https://developer.pagerduty.com/docs/webhooks-overview', [
                      Field('name', STR, False, 'The client\'s name.'),
                  ]),
        Interface('WebhookPayload', 'The body of a webhook v3 delivery.',
                  'hand-written: https://developer.pagerduty.com/docs/webhooks-overview', [
                      Field('event', ref('WebhookEvent'), True, 'The event.'),
                  ]),
    ]


# ---------------------------------------------------------------------------------------------
# Reading the specs.
STRUCTURAL = {'$ref', 'type', 'properties', 'allOf', 'oneOf', 'anyOf', 'items', 'enum', 'additionalProperties'}
COMPONENT = re.compile(r'^#/components/schemas/([^/]+)$')


class Unsupported(Exception):
    pass


def unescape(seg):
    return seg.replace('~1', '/').replace('~0', '~')


def pascal(name):
    return ''.join(p[:1].upper() + p[1:] for p in re.split(r'[^A-Za-z0-9]+', name) if p)


def first_sentence(text):
    text = ' '.join((text or '').split())
    if not text:
        return ''
    ticks = 0
    for i, c in enumerate(text):
        if c == '`':
            ticks += 1
        if c in '.!?' and ticks % 2 == 0 and (i + 1 == len(text) or text[i + 1] == ' '):
            word = text[:i].rsplit(' ', 1)[-1].lower()
            if word in ('e.g', 'eg', 'i.e', 'ie', 'etc', 'vs', 'ex', 'approx') or i + 1 == len(text):
                continue
            return text[:i + 1]
    return text


class Generator:
    def __init__(self, specs):
        self.specs = specs
        self.decls = {}  # name -> Interface | Alias
        self.section = {}  # name -> 'rest' | 'events' | 'hand' | 'ours'
        self.owner = {}  # name -> (spec, pointer)

    # -- pointers and names --------------------------------------------------------------
    def node(self, spec, ptr):
        o = self.specs[spec]
        for seg in ptr[2:].split('/'):
            seg = unescape(seg)
            o = o[int(seg)] if isinstance(o, list) else o[seg]
        return o

    def deref(self, spec, target):
        if not target.startswith('#/'):
            raise Unsupported('external $ref %r' % target)
        return target, self.node(spec, target)

    def name_for(self, spec, ptr):
        if (spec, ptr) in NAMES:
            name = NAMES[(spec, ptr)]
        else:
            m = COMPONENT.match(ptr)
            if m:
                name = unescape(m.group(1))
            else:
                parent, _, seg = ptr.rpartition('/')
                grand, _, gseg = parent.rpartition('/')
                if seg == 'items':
                    name = self.name_for(spec, parent) + 'Item'
                elif seg == 'additionalProperties':
                    name = self.name_for(spec, parent) + 'Value'
                elif gseg == 'properties':
                    name = self.name_for(spec, grand) + pascal(unescape(seg))
                elif gseg == 'allOf':
                    name = self.name_for(spec, grand)
                elif gseg in ('oneOf', 'anyOf'):
                    title = self.node(spec, ptr).get('title', '')
                    name = pascal(title) if title else self.name_for(spec, grand) + 'Option' + seg
                else:
                    raise Unsupported('no name for %s %s' % (spec, ptr))
        if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', name):
            raise Unsupported('bad type name %r for %s %s' % (name, spec, ptr))
        return name

    def claim(self, name, spec, ptr):
        """True if `name` is new; an error if another place already has it."""
        if name in self.owner:
            if self.owner[name] != (spec, ptr):
                raise Unsupported('%s is both %s %s and %s %s' % ((name,) + self.owner[name] + (spec, ptr)))
            return False
        self.owner[name] = (spec, ptr)
        self.section[name] = spec
        return True

    # -- schemas -> types ----------------------------------------------------------------
    def root(self, spec, ptr):
        name = self.name_for(spec, ptr)
        if not self.claim(name, spec, ptr):
            return name
        schema = self.node(spec, ptr)
        t = self.convert(spec, ptr, schema, named=name)
        if t != ref(name) and ref(name) in walk(t):
            raise Unsupported('%s is nullable or refers to itself at the top' % name)
        if t != ref(name):
            self.decls[name] = Alias(name, doc_of(schema), source(spec, ptr), t, schema.get('deprecated', False))
        return name

    def convert(self, spec, ptr, schema, named=None):
        """The type of `schema` (at `ptr`); objects are declared under their place's name."""
        if '$ref' in schema:
            tptr, target = self.deref(spec, schema['$ref'])
            if COMPONENT.match(tptr) or (spec, tptr) in NAMES:
                return ref(self.root(spec, tptr))
            return self.convert(spec, tptr, target)
        t = self.convert_inner(spec, ptr, schema, named)
        return union(t, NULL) if schema.get('nullable') else t

    def convert_inner(self, spec, ptr, schema, named):
        if 'not' in schema:
            raise Unsupported('`not` at %s %s' % (spec, ptr))
        variants = schema.get('oneOf') or schema.get('anyOf')
        if 'allOf' in schema and not variants:
            parts = [i for i, p in enumerate(schema['allOf']) if STRUCTURAL & set(p)]
            if len(parts) == 1 and not schema.get('properties'):
                return self.convert(spec, '%s/allOf/%d' % (ptr, parts[0]), schema['allOf'][parts[0]])
            return ref(self.declare(spec, ptr, schema, named))
        if variants:
            key = 'oneOf' if 'oneOf' in schema else 'anyOf'
            if schema.get('properties') or schema.get('allOf'):
                # Properties shared by every variant: merged into each.
                return union(*[ref(self.declare(spec, '%s/%s/%d' % (ptr, key, i), v, base=(ptr, schema)))
                               for i, v in enumerate(variants)])
            return union(*[self.convert(spec, '%s/%s/%d' % (ptr, key, i), v) for i, v in enumerate(variants)])
        if 'enum' in schema:
            values = tuple(schema['enum'])
            if not all(isinstance(v, (str, int, float, bool)) or v is None for v in values):
                raise Unsupported('enum of %r at %s %s' % (values, spec, ptr))
            lits = tuple(v for v in values if v is not None)
            t = ('lit', lits) if lits else NULL
            return union(t, NULL) if None in values else t
        kind = schema.get('type')
        if isinstance(kind, list):
            raise Unsupported('type list at %s %s' % (spec, ptr))
        if kind == 'array':
            if 'items' not in schema:
                return ('arr', JSON)
            return ('arr', self.convert(spec, ptr + '/items', schema['items']))
        if kind == 'object' or 'properties' in schema or 'additionalProperties' in schema:
            if schema.get('properties'):
                return ref(self.declare(spec, ptr, schema, named))
            extra = schema.get('additionalProperties')
            if isinstance(extra, dict) and STRUCTURAL & set(extra):
                return ('map', self.convert(spec, ptr + '/additionalProperties', extra))
            return JSONOBJ
        if kind == 'string':
            return STR
        if kind == 'integer':
            return INT
        if kind == 'number':
            return NUM
        if kind == 'boolean':
            return BOOL
        if kind is None:
            return JSON
        raise Unsupported('type %r at %s %s' % (kind, spec, ptr))

    def collect(self, spec, ptr, schema, props, required):
        """Merges the properties of `schema` (its allOf parts first) into `props`."""
        if '$ref' in schema:
            tptr, target = self.deref(spec, schema['$ref'])
            return self.collect(spec, tptr, target, props, required)
        if schema.get('oneOf') or schema.get('anyOf'):
            raise Unsupported('oneOf/anyOf inside an allOf at %s %s' % (spec, ptr))
        extra = None
        for i, part in enumerate(schema.get('allOf', [])):
            e = self.collect(spec, '%s/allOf/%d' % (ptr, i), part, props, required)
            extra = e if e is not None else extra
        for key, sub in schema.get('properties', {}).items():
            desc = sub.get('description') or (props[key][2] if key in props else '')
            props[key] = ('%s/properties/%s' % (ptr, key.replace('~', '~0').replace('/', '~1')), sub, desc)
        required.update(schema.get('required', []))
        if schema.get('type') not in (None, 'object'):
            raise Unsupported('allOf of a %s at %s %s' % (schema.get('type'), spec, ptr))
        return schema.get('additionalProperties', extra)

    def declare(self, spec, ptr, schema, named=None, base=None):
        name = named or self.name_for(spec, ptr)
        if named is None and not self.claim(name, spec, ptr):
            return name
        props, required = {}, set()
        extra = None
        if base is not None:
            base_schema = {k: v for k, v in base[1].items() if k not in ('oneOf', 'anyOf')}
            extra = self.collect(spec, base[0], base_schema, props, required)
        e = self.collect(spec, ptr, schema, props, required)
        extra = e if e is not None else extra
        resource = COMPONENT.match(ptr) is not None and 'id' in props
        fields = []
        self.decls[name] = None  # being declared (recursive references)
        for key, (pptr, sub, desc) in props.items():
            # writeOnly: never in a response. '': a spec error (Notification has one), no field.
            if sub.get('writeOnly') or key == '':
                continue
            if resource:
                req = key == 'id' or (key == 'type' and name not in TYPE_NOT_RETURNED)
            else:
                req = key in required
            fields.append(Field(key, self.convert(spec, pptr, sub), req, first_sentence(desc), sub.get('deprecated', False)))
        index = None
        if extra is True or isinstance(extra, dict):
            t = self.convert(spec, ptr + '/additionalProperties', extra) if isinstance(extra, dict) and STRUCTURAL & set(extra) else JSON
            index = t
        doc = doc_of(schema)
        if not doc and base is not None:
            doc = doc_of(base[1])
        self.decls[name] = Interface(name, doc, source(spec, ptr), fields, index, schema.get('deprecated', False))
        return name

    def run(self):
        for spec, ptr in ROOTS:
            self.root(spec, ptr)
        for decl in hand_written():
            if decl.name in self.decls:
                raise Unsupported('hand-written %s is also in a spec' % decl.name)
            self.decls[decl.name] = decl
            self.section[decl.name] = 'hand'
        for ours, theirs in sorted(OUR_NAMES.items()):
            if ours in self.decls or theirs not in self.decls:
                raise Unsupported('our name %s for %s' % (ours, theirs))
            spec, ptr = self.owner[theirs]
            self.decls[ours] = Alias(ours, 'Our name for `%s`.' % theirs, source(spec, ptr), ref(theirs))
            self.section[ours] = 'ours'
        for decl in self.decls.values():
            for t in types_in(decl):
                if t[0] == 'ref' and t[1] not in self.decls:
                    raise Unsupported('%s refers to unknown %s' % (decl.name, t[1]))
        return self


def by_name(name):
    return (name.lower(), name)


def doc_of(schema):
    doc = first_sentence(schema.get('description', ''))
    if not doc:
        for part in reversed(schema.get('allOf', [])):
            if '$ref' not in part and part.get('description'):
                return first_sentence(part['description'])
    return doc


def source(spec, ptr):
    return '%s%s' % (SPEC_FILES[spec], ptr)


def walk(t):
    yield t
    if t[0] in ('arr', 'map'):
        yield from walk(t[1])
    elif t[0] == 'union':
        for m in t[1]:
            yield from walk(m)


def types_in(decl):
    if decl.kind == 'alias':
        yield from walk(decl.type)
    else:
        for f in decl.fields:
            yield from walk(f.type)
        if decl.index is not None:
            yield from walk(decl.index)


NO_DOC = '`%s` (the spec has no description).'

SECTIONS = [
    ('rest', 'REST API v2: components of ../shared/specs/rest-v2.openapi.json (and GET /abilities).'),
    ('events', 'Events API v2: ../shared/specs/events-v2.openapi.json.'),
    ('hand', 'Hand-written in scripts/gen-resources.py: not in the specs.'),
    ('ours', 'Our names for spec schemas whose names differ.'),
]


# ---------------------------------------------------------------------------------------------
# TypeScript.
def ts_string(v):
    if isinstance(v, str):
        return "'" + v.replace('\\', '\\\\').replace("'", "\\'") + "'"
    return json.dumps(v)


def ts(t):
    k = t[0]
    if k == 'union':
        return ' | '.join(ts(m) for m in t[1])
    if k == 'lit':
        return ' | '.join(ts_string(v) for v in t[1])
    if k == 'arr':
        inner = ts(t[1])
        wrap = t[1][0] == 'union' or (t[1][0] == 'lit' and len(t[1][1]) > 1)
        return ('(%s)[]' if wrap else '%s[]') % inner
    if k == 'map':
        return '{ [key: string]: %s }' % ts(t[1])
    if k == 'ref':
        return t[1]
    return {'str': 'string', 'int': 'number', 'num': 'number', 'bool': 'boolean', 'null': 'null',
            'json': 'JsonValue', 'jsonobj': 'JsonObject'}[k]


def ts_comment(doc, src=None, deprecated=False, indent=''):
    text = doc or ''
    if src and src.startswith('hand-written'):
        text += ' (Hand-written%s.)' % src[len('hand-written'):]
    elif src:
        text += ' (Spec: `%s`.)' % src
    text = text.strip()
    if deprecated:
        text = '@deprecated ' + text
    if not text:
        return []
    return ['%s/** %s */' % (indent, text.replace('*/', '*\\/'))]


def ts_key(name):
    return name if re.match(r'^[A-Za-z_$][A-Za-z0-9_$]*$', name) else ts_string(name)


def render_ts(gen, header):
    out = ['// ' + line if line else '//' for line in header]
    # Declared here, not imported from ./index.js: the file stands alone (index.d.ts can import
    # it), and the same shapes as index.d.ts's are the same types to TypeScript.
    out += ['', '/** Any JSON value. (The same type as `JsonValue` in index.d.ts.) */',
            'export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };',
            '/** A JSON object. (The same type as `JsonObject` in index.d.ts.) */',
            'export type JsonObject = { [key: string]: JsonValue };']
    for section, title in SECTIONS:
        names = sorted((n for n, s in gen.section.items() if s == section), key=by_name)
        out += ['', '// ' + '-' * 93, '// ' + title]
        for name in names:
            d = gen.decls[name]
            out.append('')
            out += ts_comment(d.doc or NO_DOC % name, d.source, d.deprecated)
            if d.kind == 'alias':
                out.append('export type %s = %s;' % (name, ts(d.type)))
                continue
            out.append('export interface %s {' % name)
            for f in d.fields:
                out += ts_comment(f.doc, None, f.deprecated, '  ')
                out.append('  %s%s: %s;' % (ts_key(f.name), '' if f.required else '?', ts(f.type)))
            if d.index is not None:
                members = [d.index] + [f.type for f in d.fields]
                t = union(*members)
                if any(not f.required for f in d.fields):
                    t = ts(t) + ' | undefined'
                else:
                    t = ts(t)
                out.append('  [key: string]: %s;' % t)
            out.append('}')
    text = '\n'.join(out) + '\n'
    # The check CI runs: no `any` outside one-line comments and string literals (enum values).
    code = re.sub(r"'[^']*'", '', re.sub(r'//.*', '', re.sub(r'/\*.*\*/', '', text)))
    if re.search(r'\bany\b', code):
        raise Unsupported('`any` in the TypeScript output')
    return text


# ---------------------------------------------------------------------------------------------
# Python.
PY_RESERVED = {'str', 'int', 'float', 'bool', 'None', 'Any', 'Json', 'Dict', 'List', 'Literal',
               'Optional', 'Union', 'TypedDict'}


def py(t, quote=False):
    k = t[0]
    if k == 'union':
        members = [m for m in t[1] if m != NULL]
        inner = py(members[0], quote) if len(members) == 1 else 'Union[%s]' % ', '.join(py(m, quote) for m in members)
        return 'Optional[%s]' % inner if NULL in t[1] else inner
    if k == 'lit':
        return 'Literal[%s]' % ', '.join(repr(v) for v in t[1])
    if k == 'arr':
        return 'List[%s]' % py(t[1], quote)
    if k == 'map':
        return 'Dict[str, %s]' % py(t[1], quote)
    if k == 'ref':
        return repr(t[1]) if quote else t[1]
    return {'str': 'str', 'int': 'int', 'num': 'float', 'bool': 'bool', 'null': 'None',
            'json': 'Json', 'jsonobj': 'Dict[str, Json]'}[k]


def py_doc(d):
    doc = d.doc or NO_DOC % d.name
    if d.deprecated:
        doc = 'Deprecated. ' + doc
    src = d.source if d.source.startswith('hand-written') else 'Spec: ' + d.source
    return doc.replace('\\', '\\\\').replace('"""', '\\"\\"\\"'), src


def render_py(gen, header):
    names_all = sorted(gen.decls, key=by_name)
    body = []
    defined = set()
    used = {'Any', 'Dict'}  # Json and Dict[str, Json]

    def note(t):
        for m in walk(t):
            used.update({'union': {'Union'}, 'lit': {'Literal'}, 'arr': {'List'}, 'map': {'Dict'}}.get(m[0], set()))
            if m[0] == 'union' and NULL in m[1]:
                used.add('Optional')
    for section, title in SECTIONS:
        names = sorted((n for n, s in gen.section.items() if s == section), key=by_name)
        body += ['', '', '# ' + '-' * 97, '# ' + title]
        classes = [n for n in names if gen.decls[n].kind == 'interface']
        aliases = [n for n in names if gen.decls[n].kind == 'alias']
        for name in classes:
            d = gen.decls[name]
            doc, src = py_doc(d)
            keys = [f.name for f in d.fields]
            functional = any(not k.isidentifier() or keyword.iskeyword(k) or k in PY_RESERVED or k in gen.decls for k in keys)
            used.add('TypedDict')
            body += ['', '']
            if d.index is not None:
                body.append('# Also takes other keys (additionalProperties), which a TypedDict cannot say.')
            if functional:
                body.append('# %s (%s)' % (doc, src))
                body.append('# (Functional form: a key is a Python keyword or not an identifier.)')
                body.append('%s = TypedDict(%r, {' % (name, name))
                for f in d.fields:
                    note(f.type)
                    body.append('    %r: %r,%s' % (f.name, py(f.type), ('  # ' + f.doc) if f.doc else ''))
                body.append('}, total=False)')
                continue
            body.append('class %s(TypedDict, total=False):' % name)
            body.append('    """%s' % doc)
            body.append('')
            body.append('    %s' % src)
            body.append('    """')
            if d.fields:
                body.append('')
            for f in d.fields:
                note(f.type)
                if f.doc or f.deprecated:
                    body.append('    #: %s%s' % ('Deprecated. ' if f.deprecated else '', f.doc))
                body.append('    %s: %s' % (f.name, py(f.type)))
        defined.update(classes)
        # Aliases are evaluated at import: each after what it names.
        pending = list(aliases)
        while pending:
            ready = [n for n in pending if all(m[1] in defined for m in walk(gen.decls[n].type) if m[0] == 'ref')]
            if not ready:
                raise Unsupported('aliases refer to each other in a cycle, or to a later section: %s' % pending)
            for name in ready:
                d = gen.decls[name]
                doc, src = py_doc(d)
                note(d.type)
                body += ['', '', '#: %s (%s)' % (doc, src), '%s = %s' % (name, py(d.type))]
                defined.add(name)
                pending.remove(name)
    out = ['"""' + header[0]] + header[1:] + ['"""', '', 'from __future__ import annotations', '']
    out.append('from typing import %s' % ', '.join(sorted(used | {'Any'})))
    out += ['', '__all__ = [']
    out += ['    %r,' % n for n in names_all + ['Json']]
    out += [']', '', '#: An untyped JSON value (an object, array, string, number, boolean or None).', 'Json = Any']
    return '\n'.join(out + body) + '\n'


# ---------------------------------------------------------------------------------------------
def header(raw, lang):
    lines = [
        'PagerDuty resource types, generated by scripts/gen-resources.py: do not edit; run it again.',
        '',
        'From PagerDuty\'s official OpenAPI specs (github.com/PagerDuty/api-schema), read from ../shared/specs:',
    ]
    for spec in ('rest', 'events'):
        info = raw[spec][0].get('info', {})
        lines.append('  %s  %s %s, sha256 %s' % (SPEC_FILES[spec], info.get('title', ''), info.get('version', ''),
                                                  hashlib.sha256(raw[spec][1]).hexdigest()[:16]))
    lines += [
        'plus hand-written types for what the specs lack (V1Event, Webhook*).',
        'Resources come back with the fields `include[]` asks for: all optional but `id` and `type`.',
    ]
    if lang == 'py':
        lines += ['Python 3.8+, `typing` only: TypedDicts are total=False; enums are Literal unions.']
    return lines


def generate(specs_dir):
    raw = {}
    for spec, fname in SPEC_FILES.items():
        with open(os.path.join(specs_dir, fname), 'rb') as f:
            data = f.read()
        raw[spec] = (json.loads(data), data)
    gen = Generator({k: v[0] for k, v in raw.items()}).run()
    return gen, {OUT_TS: render_ts(gen, header(raw, 'ts')), OUT_PY: render_py(gen, header(raw, 'py'))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true', help='exit 1 if the committed files differ from the specs')
    ap.add_argument('--specs', default=os.path.join(ROOT, '..', 'shared', 'specs'), help='directory of the two specs')
    args = ap.parse_args()
    try:
        gen, files = generate(args.specs)
    except Unsupported as e:
        print('gen-resources: unsupported spec construct: %s' % e, file=sys.stderr)
        return 2
    stale = []
    for path, text in sorted(files.items()):
        full = os.path.join(ROOT, path)
        try:
            with open(full, encoding='utf-8', newline='') as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if old == text:
            continue
        if args.check:
            stale.append(path)
            diff = difflib.unified_diff((old or '').splitlines(True), text.splitlines(True), path, path + ' (from the specs)')
            sys.stderr.writelines(list(diff)[:40])
        else:
            with open(full, 'w', encoding='utf-8', newline='\n') as f:
                f.write(text)
            print('wrote %s' % path)
    if stale:
        print('%s out of date: run %s' % (' and '.join(stale), SCRIPT), file=sys.stderr)
        return 1
    if not args.check:
        n_if = sum(1 for d in gen.decls.values() if d.kind == 'interface')
        print('%d interfaces/TypedDicts, %d aliases' % (n_if, len(gen.decls) - n_if))
    return 0


if __name__ == '__main__':
    sys.exit(main())
