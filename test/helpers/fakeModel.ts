import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A model server on 127.0.0.1 that answers Codex's Responses API (POST /v1/responses, an SSE
 * stream) with one assistant message, so that the real Codex CLI completes turns offline.
 */
export interface FakeModel {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export const MODEL_REPLY = 'Done: the change is in place.';

export async function startFakeModel(): Promise<FakeModel> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && (req.url ?? '').endsWith('/responses')) {
        state.requests += 1;
        const id = `resp-${state.requests}`;
        const event = (body: Record<string, unknown>): string => `event: ${String(body.type)}\ndata: ${JSON.stringify(body)}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.end(
          event({ type: 'response.created', response: { id } }) +
            event({ type: 'response.output_item.done', item: { type: 'message', role: 'assistant', id: `msg-${state.requests}`, content: [{ type: 'output_text', text: MODEL_REPLY }] } }) +
            event({ type: 'response.completed', response: { id, usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 5, output_tokens_details: null, total_tokens: 15 } } }),
        );
        return;
      }
      if ((req.url ?? '').endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ models: [] }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Codex's config.toml pointing at the fake model, trusting the given project folders. */
export function codexConfig(modelUrl: string, trusted: readonly string[]): string {
  return [
    'model = "mock-model"',
    'approval_policy = "never"',
    'sandbox_mode = "read-only"',
    'model_provider = "mock_provider"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.mock_provider]',
    'name = "Mock provider for codexSync tests"',
    `base_url = "${modelUrl}"`,
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    ...trusted.flatMap((dir) => [`[projects."${dir}"]`, 'trust_level = "trusted"', '']),
  ].join('\n');
}
