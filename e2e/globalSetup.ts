import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildAll } from '../scripts/build.ts';
import { artifacts, chromiumArgs, chromiumPath } from './support/browser.ts';

/** Builds out/ once (the app's bundles and the e2e bridge) and starts the one Chromium every e2e file connects to. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildAll(['renderer', 'preload', 'main', 'cli', 'e2e']);
  await mkdir(artifacts, { recursive: true });
  const server = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
