import { gunzip } from 'node:zlib';
import mongoose, { Schema } from 'mongoose';
import { ApiError } from '../../../apps/api/src/http/api-error';
import { clientErrorOf } from '../../../apps/api/src/http/client-errors';

/** What Express's body parser raises: an error with `status`, `expose` and its `type`. */
const parserError = (status: number, type?: string) =>
  Object.assign(new Error('refused'), { status, statusCode: status, expose: status < 500, type });

const answered = (error: unknown) => {
  const mapped = clientErrorOf(error);
  expect(mapped).toBeInstanceOf(ApiError);
  return { status: mapped!.getStatus(), body: mapped!.getResponse() };
};

describe('clientErrorOf', () => {
  it.each([
    ['entity.too.large', 413, 413, 'body'],
    ['entity.too.deep', 400, 400, 'body'],
    ['encoding.unsupported', 415, 415, 'Content-Encoding'],
    ['charset.unsupported', 415, 415, 'Content-Type'],
    ['request.size.invalid', 400, 400, 'Content-Length'],
    ['request.aborted', 400, 400, 'body'],
    ['parameters.too.many', 413, 413, 'body'],
    [undefined, 411, 411, 'body'],
  ])("maps the body parser's %s (%s) to %s naming %s", (type, raised, status, field) => {
    expect(answered(parserError(raised, type))).toMatchObject({ status, body: { field } });
  });

  it("maps zlib's error on a body that is not gzip to a 400 naming Content-Encoding", async () => {
    const failure = await new Promise<Error>((resolve) =>
      gunzip(Buffer.from('not gzip'), (error) => resolve(error!)),
    );
    // The parser hands it on as a 400, keeping zlib's code.
    const raised = Object.assign(failure, { status: 400, statusCode: 400, expose: true });
    expect(answered(raised)).toMatchObject({
      status: 400,
      body: { code: 'MALFORMED_REQUEST', field: 'Content-Encoding' },
    });
  });

  it("maps Mongoose's cast and validation errors to a 400 naming the path", () => {
    const Probe = mongoose.model(
      'ClientErrorProbe',
      new Schema({ amount: { type: Number, required: true } }),
    );
    const cast = new mongoose.Error.CastError('Number', 'lots', 'amount');
    expect(answered(cast)).toMatchObject({ status: 400, body: { code: 'INVALID_FIELD', field: 'amount' } });
    const invalid = new Probe({}).validateSync();
    expect(answered(invalid)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_FIELD', field: 'amount' },
    });
  });

  it('leaves API errors and server faults alone: answered as they are, or as a 500', () => {
    expect(clientErrorOf(ApiError.badField('x', 'y'))).toBeUndefined();
    expect(clientErrorOf(new Error('database down'))).toBeUndefined();
    expect(clientErrorOf(parserError(500, 'stream.encoding.set'))).toBeUndefined();
    expect(clientErrorOf('a string')).toBeUndefined();
  });
});
