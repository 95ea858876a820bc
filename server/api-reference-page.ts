import escapeHtml from 'escape-html';

/** The parts of an OpenAPI document the reference page shows. */
export interface ApiDocumentView {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OperationView>>;
  components: { schemas: Record<string, unknown> };
}
interface OperationView {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  'x-assetflow-requires': string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

/**
 * The API reference at /api/docs: the generated OpenAPI document rendered on the server as one
 * plain HTML page (no script, no external files but its stylesheet), so it obeys the app's strict
 * Content-Security-Policy and works without JavaScript. Operations by tag, each with who may call
 * it, its parameters, body and every response with its schema; schemas link to their component.
 */
export function renderApiReference(document: ApiDocumentView): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map(({ op }) => op.tags[0] ?? 'Other'))];
  const byTag = (tag: string) => operations.filter(({ op }) => (op.tags[0] ?? 'Other') === tag);
  const contents = tags
    .map(
      (tag) =>
        `<li><a href="#tag-${anchor(tag)}">${escapeHtml(tag)}</a><ul>${byTag(tag)
          .map(
            ({ path, method, op }) =>
              `<li><a href="#${anchor(op.operationId)}"><span class="method ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = tags
    .map(
      (tag) =>
        `<section><h2 id="tag-${anchor(tag)}">${escapeHtml(tag)}</h2>${byTag(tag)
          .map(({ path, method, op }) => operationHtml(path, method, op))
          .join('')}</section>`,
    )
    .join('');
  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => `<h3 id="schema-${anchor(name)}">${escapeHtml(name)}</h3>${schemaHtml(schema)}`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title>
<link rel="stylesheet" href="/api/docs.css">
</head>
<body>
<header>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${prose(document.info.description ?? '')}</p>
<p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Authenticate with the session cookie of the web app or <code>Authorization: Bearer &lt;API token&gt;</code>.</p>
</header>
<nav aria-label="Operations"><ul>${contents}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main>${sections}<section><h2 id="schemas">Schemas</h2>${schemas}</section></main>
</body>
</html>`;
}

function operationHtml(path: string, method: string, op: OperationView): string {
  const parameters = op.parameters?.length
    ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.description ? `<br>${prose(p.description)}` : ''}</td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${schemaHtml(p.schema)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? `<h4>Request body</h4>${Object.entries(op.requestBody.content)
        .map(([type, { schema }]) => `<p><code>${escapeHtml(type)}</code></p>${schemaHtml(schema)}`)
        .join('')}`
    : '';
  const responses = Object.entries(op.responses)
    .map(
      ([status, response]) =>
        `<tr><td class="status s${status[0]}">${escapeHtml(status)}</td><td>${prose(response.description)}${Object.entries(
          response.content ?? {},
        )
          .map(([type, { schema }]) => `<p><code>${escapeHtml(type)}</code></p>${schemaHtml(schema)}`)
          .join('')}</td></tr>`,
    )
    .join('');
  return `<article id="${anchor(op.operationId)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p class="summary">${prose(op.summary)}</p>
${op.description ? `<p>${prose(op.description)}</p>` : ''}
<p class="requires">Who may call it: ${escapeHtml(op['x-assetflow-requires'])}. Operation id <code>${escapeHtml(op.operationId)}</code>.</p>
${parameters}${body}
<h4>Responses</h4><table class="responses"><tbody>${responses}</tbody></table>
</article>`;
}

/** A schema as indented JSON, each `$ref` a link to the component it names. */
function schemaHtml(schema: unknown): string {
  const json = escapeHtml(JSON.stringify(schema, null, 2));
  // Focusable so that a keyboard can scroll a wide schema (a scrollable region needs to be).
  return `<pre tabindex="0">${json.replace(
    /&quot;#\/components\/schemas\/([\w.-]+)&quot;/g,
    (_all, name: string) => `<a href="#schema-${anchor(name)}">${escapeHtml(name)}</a>`,
  )}</pre>`;
}

/** Text from the document with `code` spans: escaped first, so nothing in it becomes markup. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function anchor(text: string): string {
  return text.replace(/[^\w-]+/g, '-');
}

export const API_REFERENCE_CSS = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:minmax(14rem,22rem) 1fr;color:#1d2433}
header{grid-column:1/-1;padding:1rem 2rem;background:#f4f6fa;border-bottom:1px solid #dde2ea}
header h1 small{font-weight:normal;color:#667}
nav{position:sticky;top:0;max-height:100vh;overflow:auto;padding:1rem;border-right:1px solid #dde2ea;font-size:13px}
nav ul{list-style:none;padding-left:.75rem;margin:.25rem 0}
main{padding:1rem 2rem;min-width:0}
article{border-top:1px solid #dde2ea;padding:.5rem 0 1rem}
pre{background:#f7f8fb;padding:.5rem;overflow:auto;max-height:24rem;font-size:12px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #dde2ea;padding:.25rem .5rem;vertical-align:top;text-align:left}
.method{display:inline-block;min-width:3.5rem;font:bold 12px monospace;text-transform:uppercase}
.get{color:#0b6e4f}.post{color:#1d4ed8}.put,.patch{color:#a16207}.delete{color:#b91c1c}
.status{font:bold 13px monospace;width:3rem}.s2{color:#0b6e4f}.s3{color:#1d4ed8}.s4{color:#a16207}.s5{color:#b91c1c}
.requires{color:#556}
@media (max-width:720px){body{display:block}nav{position:static;max-height:none;border:0}}
`;
