import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.ts';
import { openContext } from './bootstrap.ts';
import { buildApp } from './app.ts';
import { startSweeper } from './modules/delivery/sweeper.ts';
import { seedDemoIfEmpty } from './modules/demo/seed.ts';
import { createGradingBackend } from './modules/grading/create-backend.ts';
import { createLiveBus } from './modules/live/bus.ts';
import { sendAutoWarnings } from './modules/proctoring/auto-warning.ts';

/** `npm start`: migrate, seed the demo on an empty database, serve. */
async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = await openContext(config);
  const demo = await seedDemoIfEmpty(ctx);
  const grading = await createGradingBackend(ctx, config);
  const live = createLiveBus(config.REDIS_URL, ctx.log);
  const { app, delivery } = await buildApp(ctx, { grading, live });
  const stopSweeper = startSweeper(delivery, ctx.log, config.SWEEP_INTERVAL_MS, [{ name: 'auto-warning', run: () => sendAutoWarnings(ctx, live) }]);
  grading?.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  // The port actually bound: PORT=0 takes a free one (the tests' server-process.ts reads it from this line).
  const base = `http://localhost:${(app.server.address() as AddressInfo).port}`;
  const lines = [
    '',
    `考务 Kaowu 已启动：${base}  (数据库：${ctx.dialect})`,
    `  考生入口  ${base}/exam/`,
    `  管理控制台 ${base}/console/`,
  ];
  if (demo) lines.push('', ...demo.loginLines);
  process.stdout.write(lines.join('\n') + '\n\n');

  const shutdown = async (signal: string) => {
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await stopSweeper();
    await grading?.close();
    await live.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
