// `node --import ./register.ts out/main/index.mjs`: the built main bundle's `import ... from
// "electron"` resolves to the recording stand-in, and every other import as Node resolves it.
import { registerHooks } from 'node:module';

const standIn = new URL('./standIn.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: standIn, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
