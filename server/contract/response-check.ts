import type { RequestHandler, Response } from 'express';
import { matchEndpoint } from '../../policy/endpoints';
import { codesIn, statusesOf } from './document';
import type { Operation, Success } from './operation';
import { ErrorBody } from './schema';
import { responseProblems } from './validation';

/** Responses that broke their contract since the last `takeContractViolations()`. */
const violations: string[] = [];

/** What tests assert is empty: every response a test received matched its declared schema. */
export function takeContractViolations(): string[] {
  return violations.splice(0);
}

/**
 * Checks every API response against its operation's contract (the status is declared; a JSON
 * body matches the schema declared for that status; a file or page has a declared type). For
 * tests: a JSON response that breaks the contract is replaced by a 500
 * RESPONSE_CONTRACT_VIOLATION naming the problems, and every violation is kept for
 * `takeContractViolations`, so the test that received it fails.
 */
export function checkResponses(operations: ReadonlyMap<string, Operation>): RequestHandler {
  return (req, res, next) => {
    const endpoint = matchEndpoint(req.method, req.path);
    const op = endpoint && operations.get(endpoint.key);
    if (!op) return next();
    const where = `${endpoint.key} answered ${req.method} ${req.originalUrl.split('?')[0]}`;
    const statuses = statusesOfOnce(op);
    let sentJson = false;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      sentJson = true;
      const problems = jsonProblems(op, statuses, res.statusCode, body);
      if (problems.length === 0) return json(body);
      const message = `${where} with ${res.statusCode}, which its contract does not allow: ${problems.join('; ')}`;
      violations.push(message);
      res.status(500);
      return json({ error: { code: 'RESPONSE_CONTRACT_VIOLATION', message, details: { problems, body } } });
    };
    res.on('finish', () => {
      // 304 answers a browser's conditional GET of a file it has: HTTP caching, not the API.
      if (sentJson || req.method === 'HEAD' || res.statusCode === 304) return;
      const problem = otherProblem(op, statuses, res);
      if (problem) violations.push(`${where} with ${res.statusCode}: ${problem}`);
    });
    next();
  };
}

/** An operation's statuses are fixed: worked out on its first response, not on every one. */
const statusCache = new WeakMap<Operation, Map<number, string>>();
function statusesOfOnce(op: Operation): Map<number, string> {
  const known = statusCache.get(op);
  if (known) return known;
  const statuses = statusesOf(op);
  statusCache.set(op, statuses);
  return statuses;
}

function jsonProblems(op: Operation, statuses: Map<number, string>, status: number, body: unknown): string[] {
  if (!statuses.has(status)) return [`status ${status} is not declared`];
  // What goes on the wire: dates become strings, undefined fields disappear.
  const sent = JSON.parse(JSON.stringify(body ?? null)) as unknown;
  const success = op.responses[status as keyof Operation['responses']];
  // An error status the operation declares with a body of its own (the health report's 503).
  if (status >= 400 && !(success && 'json' in success)) {
    const problems = responseProblems(ErrorBody, sent);
    if (problems.length > 0) return problems;
    const declared = codesIn(statuses.get(status)!);
    const code = (sent as ErrorBody).error.code;
    return declared.size === 0 || declared.has(code)
      ? []
      : [`error code ${code} is not declared for ${status} (declared: ${[...declared].join(', ')})`];
  }
  if (!success || !('json' in success)) return [`status ${status} is declared without a JSON body`];
  return responseProblems(success.json, sent);
}

function otherProblem(op: Operation, statuses: Map<number, string>, res: Response): string | undefined {
  const status = res.statusCode;
  if (!statuses.has(status)) return `status ${status} is not declared`;
  const success = op.responses[status as keyof Operation['responses']];
  if (!success) {
    if (status < 400) return `status ${status} has no declared success`;
    const type = String(res.get('content-type') ?? '')
      .split(';')[0]!
      .trim();
    return op.htmlErrors && type === 'text/html' ? undefined : `error ${status} sent as "${type}", not JSON`;
  }
  const type = String(res.get('content-type') ?? '')
    .split(';')[0]!
    .trim();
  if (!typeAllowed(success, type)) return `content type "${type}" is not declared`;
  return undefined;
}

function typeAllowed(success: Success, type: string): boolean {
  // A JSON answer with `file` may also be sent as one of those files (`?format=csv`).
  if ('file' in success && success.file)
    return success.file.some(
      (declared) =>
        // `*/*` ends with `/*` too: tested first, or it would only allow types starting with `*/`.
        declared === '*/*' ||
        (declared.endsWith('/*') ? type.startsWith(declared.slice(0, -1)) : declared === type),
    );
  if ('html' in success) return type === 'text/html';
  if ('eventStream' in success) return type === 'text/event-stream';
  if ('json' in success) return type === 'application/json';
  return true; // redirects and empty answers carry no body to type
}
