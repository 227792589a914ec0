import { ApiError } from '../../../functions/api/api-error';
import { errorResponse } from '../../../functions/api/error-response';
import {
  CronError,
  IntervalConflictError,
  NotFoundError,
  ProjectParseError,
  SchedulerError,
  UnsupportedFeatureError,
} from '../../../shared/src/errors';

const logged: Readonly<Record<string, unknown>>[] = [];
const respond = (error: unknown) => {
  const res = errorResponse(error, 'req-9', (entry) => logged.push(entry));
  return { status: res.statusCode, body: JSON.parse(res.body) as unknown, headers: res.headers };
};

beforeEach(() => {
  logged.length = 0;
});

describe('errorResponse', () => {
  it.each([
    [new NotFoundError("run 'r' does not exist"), 404, { code: 'not_found', message: "run 'r' does not exist" }],
    [
      new ProjectParseError('unknown key', { file: 'models/a.sql', line: 4 }),
      400,
      { code: 'invalid_project', message: 'models/a.sql:4: unknown key', field: 'files.models/a.sql' },
    ],
    [new ProjectParseError('no config'), 400, { code: 'invalid_project', message: 'no config' }],
    [
      new UnsupportedFeatureError('Python models are not supported', { file: 'models/p.py', line: 1 }),
      400,
      { code: 'unsupported_feature', message: 'models/p.py:1: Python models are not supported', field: 'files.models/p.py' },
    ],
    [new IntervalConflictError('environment dev changed meanwhile'), 409, { code: 'conflict', message: 'environment dev changed meanwhile' }],
    [new ApiError(413, 'payload_too_large', 'files: too many', { field: 'files' }), 413, { code: 'payload_too_large', message: 'files: too many', field: 'files' }],
  ])('maps %p to %i with its message', (error, status, body) => {
    expect(respond(error)).toEqual({ status, body: { error: body }, headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8' }) });
    expect(logged).toEqual([]);
  });

  it.each([
    ['an SDK failure', new Error('ResourceNotFoundException: table meshcron-state not found')],
    ['a scheduler error no caller can cause', new CronError("invalid cron '0 25 * * *'")],
    ['a plain SchedulerError', new SchedulerError('no warehouse connection is stored')],
    ['a thrown string', 'boom'],
  ])('answers %s with 500 and only the request id, logging it in full', (_case, error) => {
    const res = respond(error);
    expect(res).toEqual({
      status: 500,
      body: { error: { code: 'internal', message: 'internal error; quote request id req-9 when reporting it' } },
      headers: expect.any(Object),
    });
    const message = error instanceof Error ? error.message : error;
    expect(logged).toEqual([expect.objectContaining({ level: 'error', requestId: 'req-9', message })]);
  });

  it('passes the Allow header of a 405 on', () => {
    const res = respond(new ApiError(405, 'method_not_allowed', 'no', { headers: { allow: 'GET' } }));
    expect(res.headers.allow).toBe('GET');
  });
});
