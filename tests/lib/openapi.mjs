// Validates response bodies against linli's OpenAPI 3.0 document.
//
// The document is fetched once per server (it is the merged document the server
// itself serves), OpenAPI 3.0 schema dialect is turned into JSON Schema for ajv
// (nullable, boolean exclusiveMinimum/Maximum, OpenAPI-only formats), and the
// whole document is registered with ajv under one $id so that "#/components/…"
// references — recursive ones included — resolve exactly as written.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const DOC_ID = 'linli-openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// JSON pointer helpers (RFC 6901).
export function pointerGet(doc, ref) {
  if (!ref.startsWith('#')) throw new Error(`external $ref not supported: ${ref}`);
  let cur = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !(key in cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function pointerEscape(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

// Every "$ref" string in the document, with where it was found.
export function collectRefs(doc) {
  const out = [];
  (function walk(node, where) {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') out.push({ref: v, at: where || '#'});
        else walk(v, `${where}/${pointerEscape(k)}`);
      }
    }
  })(doc, '#');
  return out;
}

// Follows a chain of $ref objects (responses, parameters) to the real object.
export function deref(doc, obj) {
  const seen = new Set();
  while (obj && typeof obj === 'object' && typeof obj.$ref === 'string') {
    if (seen.has(obj.$ref)) throw new Error(`circular $ref ${obj.$ref}`);
    seen.add(obj.$ref);
    const next = pointerGet(doc, obj.$ref);
    if (next === undefined) throw new Error(`unresolved $ref ${obj.$ref}`);
    obj = next;
  }
  return obj;
}

// OpenAPI 3.0 schema → JSON Schema (draft-07 as ajv understands it). Applied to
// the whole document: no non-schema OpenAPI object uses these keywords.
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = convert(v);
  if (out.$ref) {
    // OpenAPI 3.0 ignores siblings of $ref; so does this conversion.
    const keep = {$ref: out.$ref};
    if (out.nullable === true) return {anyOf: [{type: 'null'}, keep]};
    return keep;
  }
  if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (out.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (out.exclusiveMaximum === true && typeof out.maximum === 'number') {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (out.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if ('nullable' in out) {
    const nullable = out.nullable === true;
    delete out.nullable;
    if (nullable) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      if (out.type === undefined && (out.allOf || out.oneOf || out.anyOf)) {
        const inner = {...out};
        return {anyOf: [{type: 'null'}, inner]};
      }
    }
  }
  return out;
}

function makeAjv() {
  const ajv = new Ajv({strict: false, allErrors: true, validateFormats: true});
  addFormats(ajv);
  // OpenAPI's own formats: accepted as annotations.
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  return ajv;
}

function templateRegex(pattern) {
  const re = pattern
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`);
}

// Finds the path key for a documented pattern or a concrete path
// ("/api/v1/residents/12" → "/api/v1/residents/{id}"); the fewest
// placeholders win, as in the router.
export function findPath(doc, path) {
  const paths = doc.paths || {};
  const bare = path.split('?')[0];
  if (paths[bare]) return bare;
  let best = null;
  let bestParams = Infinity;
  for (const key of Object.keys(paths)) {
    if (!key.includes('{')) continue;
    if (templateRegex(key).test(bare)) {
      const n = (key.match(/\{/g) || []).length;
      if (n < bestParams) {
        best = key;
        bestParams = n;
      }
    }
  }
  return best;
}

function preview(body) {
  let s;
  try {
    s = typeof body === 'string' ? body : JSON.stringify(body);
  } catch {
    s = String(body);
  }
  return s && s.length > 600 ? `${s.slice(0, 600)}…` : s;
}

export class OpenApiValidator {
  constructor(doc) {
    this.doc = doc;
    this.ajv = makeAjv();
    this.ajv.addSchema(convert(doc), DOC_ID);
    this.cache = new Map();
  }

  // The operation object for method + path (pattern or concrete), or null.
  operation(method, path) {
    const key = findPath(this.doc, path);
    if (!key) return null;
    const op = this.doc.paths[key][method.toLowerCase()];
    return op ? {key, op} : null;
  }

  validate(method, path, status, body) {
    const m = method.toLowerCase();
    const found = this.operation(m, path);
    const what = `${method.toUpperCase()} ${path} → ${status}`;
    if (!found) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is not documented in /api/v1/openapi.json`);
    const responses = found.op.responses || {};
    const code = String(status);
    const rangeKey = `${code[0]}XX`;
    const statusKey = code in responses ? code : rangeKey in responses ? rangeKey : 'default' in responses ? 'default' : null;
    if (!statusKey)
      throw new Error(
        `OpenAPI: ${what}: status ${status} is not documented for ${m.toUpperCase()} ${found.key} ` +
          `(documented: ${Object.keys(responses).join(', ') || 'none'})\n  body: ${preview(body)}`,
      );
    const response = deref(this.doc, responses[statusKey]);
    const content = response && response.content;
    if (!content || Object.keys(content).length === 0) {
      if (body === undefined || body === null || body === '') return true;
      throw new Error(`OpenAPI: ${what}: the document describes no body, but one came back\n  body: ${preview(body)}`);
    }
    const mediaKey = Object.keys(content).find((k) => /json/i.test(k));
    if (!mediaKey) return true; // not a JSON response: nothing to check against
    const media = content[mediaKey];
    if (!media.schema) return true;
    const pointer =
      `${DOC_ID}#/paths/${pointerEscape(found.key)}/${m}/responses/${pointerEscape(statusKey)}` +
      `/content/${pointerEscape(mediaKey)}/schema`;
    // Through a $ref'ed response the schema lives under components.
    const ref = responses[statusKey].$ref ? this.responseSchemaPointer(responses[statusKey].$ref, mediaKey) : pointer;
    let fn = this.cache.get(ref);
    if (!fn) {
      fn = this.ajv.compile({$ref: ref});
      this.cache.set(ref, fn);
    }
    if (fn(body)) return true;
    const errs = fn.errors
      .slice(0, 12)
      .map((e) => `  ${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
      .join('\n');
    throw new Error(
      `OpenAPI: ${what} does not match the schema of ${m.toUpperCase()} ${found.key} ${statusKey}:\n${errs}\n  body: ${preview(body)}`,
    );
  }

  responseSchemaPointer(ref, mediaKey) {
    // Resolve the chain to the last $ref, then point at its schema.
    let last = ref;
    let obj = pointerGet(this.doc, ref);
    while (obj && obj.$ref) {
      last = obj.$ref;
      obj = pointerGet(this.doc, obj.$ref);
    }
    return `${DOC_ID}${last}/content/${pointerEscape(mediaKey)}/schema`;
  }
}

// Structural checks of an OpenAPI 3.0 document; returns a list of problems.
export function checkDocument(doc) {
  const problems = [];
  if (!doc || typeof doc !== 'object') return ['the document is not a JSON object'];
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) problems.push(`openapi is "${doc.openapi}", not 3.x.y`);
  if (!doc.info || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string')
    problems.push('info.title and info.version are required strings');
  if (!doc.paths || typeof doc.paths !== 'object') problems.push('paths is missing');
  for (const {ref, at} of collectRefs(doc)) {
    if (!ref.startsWith('#/')) problems.push(`${at}: $ref ${ref} is not local`);
    else if (pointerGet(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  }
  for (const [path, item] of Object.entries(doc.paths || {})) {
    if (!path.startsWith('/')) problems.push(`path "${path}" does not start with /`);
    const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const shared = (item.parameters || []).map((p) => safeDeref(doc, p));
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || method === 'summary' || method === 'description' || method === 'servers') continue;
      if (!METHODS.includes(method)) {
        problems.push(`${path}: "${method}" is not an HTTP method`);
        continue;
      }
      const where = `${method.toUpperCase()} ${path}`;
      if (!op || typeof op !== 'object') {
        problems.push(`${where}: not an object`);
        continue;
      }
      if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      for (const [code, resp] of Object.entries(op.responses || {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: response key "${code}" is not a status`);
        const r = safeDeref(doc, resp);
        if (r && typeof r.description !== 'string') problems.push(`${where} ${code}: response without description`);
      }
      const params = [...shared, ...(op.parameters || []).map((p) => safeDeref(doc, p))].filter(Boolean);
      for (const p of params) {
        if (!p.name || !['query', 'header', 'path', 'cookie'].includes(p.in)) problems.push(`${where}: parameter ${JSON.stringify(p)} needs name and in`);
        if (p.in === 'path' && !placeholders.includes(p.name)) problems.push(`${where}: path parameter "${p.name}" is not in the path`);
        if (p.in === 'path' && p.required !== true) problems.push(`${where}: path parameter "${p.name}" must be required: true`);
      }
      for (const name of placeholders) {
        if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: path parameter {${name}} is not declared`);
      }
    }
  }
  // Every schema must compile.
  try {
    const ajv = makeAjv();
    ajv.addSchema(convert(doc), DOC_ID);
    for (const name of Object.keys((doc.components && doc.components.schemas) || {})) {
      try {
        ajv.compile({$ref: `${DOC_ID}#/components/schemas/${pointerEscape(name)}`});
      } catch (e) {
        problems.push(`components.schemas.${name}: ${e.message}`);
      }
    }
  } catch (e) {
    problems.push(`schemas do not compile: ${e.message}`);
  }
  return problems;
}

function safeDeref(doc, obj) {
  try {
    return deref(doc, obj);
  } catch {
    return null;
  }
}

// Every (method, path) the document describes.
export function documentedOperations(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {}))
    for (const method of Object.keys(item)) if (METHODS.includes(method)) out.push({method: method.toUpperCase(), path});
  return out;
}
