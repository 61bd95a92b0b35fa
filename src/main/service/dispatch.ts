import { ExitCode, plainError } from '../../core/errors.ts';
import { isRequestChannel, type Envelope, type RequestChannel } from '../../shared/channels.ts';
import { contract, type ResponseOf, type ValidRequestOf } from '../../shared/contract.ts';
import { failure } from './outcomes.ts';

/** One handler per request channel of the contract. */
export type Handlers = { [C in RequestChannel]: (request: ValidRequestOf<C>) => Promise<ResponseOf<C>> };

/** Validates a request against the contract, runs its handler, and answers with an envelope (never throws). */
export async function dispatchRequest(handlers: Handlers, channel: string, raw: unknown): Promise<Envelope<unknown>> {
  if (!isRequestChannel(channel)) return failure(plainError(ExitCode.invalidInput, `there is no request named ${JSON.stringify(channel)}`));
  const spec = contract[channel];
  const parsed = spec.request.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    return failure(plainError(ExitCode.invalidInput, `invalid ${channel} request${where}: ${issue?.message ?? 'malformed'}`));
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: spec.response.parse(await handler(parsed.data)) };
  } catch (error) {
    return failure(error);
  }
}
