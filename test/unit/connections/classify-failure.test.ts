import { classifyConnectionFailure } from '../../../shared/src/connections/classify-failure';

describe('classifyConnectionFailure', () => {
  it.each([
    [{ sqlState: '28P01' }, 'authentication_failed'],
    [{ sqlState: '28000' }, 'authentication_failed'],
    [{ sqlState: '3D000' }, 'database_missing'],
    [{ sqlState: '42501' }, 'invalid_config'],
    [{ sqlState: '22023', message: 'timeout' }, 'invalid_config'],
    [{ errorCode: 'ECONNREFUSED' }, 'host_unreachable'],
    [{ errorCode: 'ENOTFOUND' }, 'host_unreachable'],
    [{ errorCode: 'EHOSTUNREACH' }, 'host_unreachable'],
    [{ errorCode: 'EAI_AGAIN' }, 'host_unreachable'],
    [{ errorCode: 'ETIMEDOUT' }, 'timeout'],
    [{ message: 'PostgreSQL: Connection terminated due to connection timeout' }, 'timeout'],
    [{ message: 'timeout exceeded when trying to connect' }, 'timeout'],
    [{ errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'invalid_config'],
    [{ message: 'The server does not support SSL connections' }, 'invalid_config'],
    [{ message: 'IO Error: Could not set lock on file' }, 'invalid_config'],
    [{}, 'invalid_config'],
  ] as const)('classifies %j as %s', (signal, reason) => {
    expect(classifyConnectionFailure(signal)).toBe(reason);
  });
});
