import { randomBytes } from 'node:crypto';

import { Command } from 'commander';

import { createAccount, createSignInLink, ensureDemoAccount } from './accounts/accounts.ts';
import { ConfigError, DEMO_APP, loadConfig, oauthRedirectUrl, webhookUrl } from './config/index.ts';
import { createConnector } from './main.ts';

const program = new Command()
  .name('tiktok-shop-connector')
  .description('Connects a commerce platform to TikTok Shop.');

program
  .command('start')
  .description('Run the HTTP API, dashboard, webhooks and workers (TTS_ROLE picks a subset).')
  .action(async () => {
    const config = loadConfigOrExit();
    const connector = await createConnector(config);
    const { ctx } = connector;
    const address = await connector.start();

    const lines: string[] = [];
    if (config.mode === 'demo') {
      const demo = await ensureDemoAccount(ctx);
      const token = await createSignInLink(ctx, demo.userId);
      lines.push(
        'TikTok Shop Connector is running on its embedded demo (PGlite and the TikTok Shop emulator).',
        '',
        `  Dashboard:      ${config.publicUrl}/app/`,
        `  Sign in (once): ${config.publicUrl}/auth/link?token=${token}`,
        `  API docs:       ${config.publicUrl}/docs`,
        '',
        'Click "Connect TikTok Shop" in the dashboard and approve the demo shops.',
      );
    } else if (config.role !== 'worker') {
      const users = await ctx.db.selectFrom('users').select('id').limit(1).execute();
      if (users.length === 0) {
        const password = randomBytes(12).toString('base64url');
        await createAccount(ctx, {
          accountName: 'My account',
          email: 'owner@localhost',
          userName: 'Owner',
          storeName: 'My store',
          password,
        });
        lines.push(
          `Created the owner user owner@localhost with password ${password} (shown once).`,
        );
      }
      lines.push(
        `Dashboard:    ${config.publicUrl}/app/`,
        `Redirect URL: ${oauthRedirectUrl(config)}   (enter it in TikTok Partner Center)`,
        `Webhook URL:  ${webhookUrl(config)}`,
      );
    }
    if (address) lines.push('', `Listening on ${address}; press Ctrl+C to stop.`);
    console.log(lines.join('\n'));

    const shutdown = async () => {
      await connector.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown());
    process.once('SIGTERM', () => void shutdown());
  });

program
  .command('sign-in-link')
  .description('Print a one-time sign-in link for a user.')
  .requiredOption('--email <email>', 'email of the user')
  .action(async (options: { email: string }) => {
    const config = loadConfigOrExit();
    const connector = await createConnector({ ...config, role: 'api' });
    const user = await connector.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', options.email.toLowerCase())
      .executeTakeFirst();
    if (!user) {
      console.error(`No user has the email ${options.email}.`);
      process.exitCode = 1;
    } else {
      const token = await createSignInLink(connector.ctx, user.id);
      console.log(`${config.publicUrl}/auth/link?token=${token}`);
    }
    await connector.close();
  });

program
  .command('emulator')
  .description('Run the TikTok Shop emulator on its own, seeded with the demo seller.')
  .option('--port <port>', 'TCP port to listen on', '8090')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--webhook-url <url>', 'where the emulator sends webhooks for the demo app')
  .option('--redirect-url <url>', 'where the authorization page sends the seller back')
  .action(
    async (options: { port: string; host: string; webhookUrl?: string; redirectUrl?: string }) => {
      const { startEmulatorServer } = await import('../emulator/server.ts');
      const { seedDemo } = await import('../emulator/seed.ts');
      const running = await startEmulatorServer({ port: Number(options.port), host: options.host });
      seedDemo(running.emulator, {
        app: {
          ...DEMO_APP,
          redirectUrl: options.redirectUrl ?? 'http://127.0.0.1:3000/oauth/tiktok/callback',
          webhookUrl: options.webhookUrl ?? 'http://127.0.0.1:3000/webhooks/tiktok',
        },
      });
      console.log(
        `TikTok Shop emulator listening on ${running.url} (demo app key ${DEMO_APP.appKey}).`,
      );
    },
  );

function loadConfigOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

await program.parseAsync();
