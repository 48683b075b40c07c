import type { AppConfig, SellerRecord, ShopRecord } from './types.ts';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#161823}
h1{font-size:1.4rem}fieldset{border:1px solid #ddd;border-radius:8px;padding:1rem}
label{display:block;margin:.4rem 0}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
.approve{background:#fe2c55;color:#fff;border:0;border-radius:4px}.error{color:#b00020}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body>
${body}
</body></html>`;
}

/** Fields of the consent page. */
export interface AuthorizePageInput {
  app: AppConfig;
  seller: SellerRecord;
  shops: ShopRecord[];
  otherSellers: SellerRecord[];
  /** Absolute path of the form target, including any proxy prefix. */
  formAction: string;
  state: string | undefined;
  error?: string;
}

/** Renders the seller's consent page: one checkbox per shop, Approve and Deny, no JavaScript. */
export function renderAuthorizePage(input: AuthorizePageInput): string {
  const { app, seller, shops } = input;
  const shopBoxes = shops
    .map(
      (shop) =>
        `<label><input type="checkbox" name="shop_id" value="${escapeHtml(shop.id)}" checked> ` +
        `${escapeHtml(shop.name)} (${escapeHtml(shop.region)}, ${escapeHtml(shop.currency)})</label>`,
    )
    .join('\n');
  const switchLinks = input.otherSellers
    .map((other) => {
      const query = new URLSearchParams({ service_id: app.serviceId, seller_id: other.id });
      if (input.state !== undefined) query.set('state', input.state);
      return `<a href="${escapeHtml(`${input.formAction}?${query}`)}">${escapeHtml(other.name)}</a>`;
    })
    .join(', ');
  const hidden = [
    ['service_id', app.serviceId],
    ['seller_id', seller.id],
    ...(input.state !== undefined ? [['state', input.state]] : []),
  ]
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`)
    .join('\n');

  return page(
    'Authorize app - TikTok Shop emulator',
    `<h1>Authorize an app to access your shops</h1>
<p>Signed in as <strong id="seller-name">${escapeHtml(seller.name)}</strong> (seller region ${escapeHtml(seller.baseRegion)}).</p>
${input.otherSellers.length > 0 ? `<p>Switch seller: ${switchLinks}</p>` : ''}
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="${escapeHtml(input.formAction)}">
${hidden}
<fieldset><legend>Shops to share with service ${escapeHtml(app.serviceId)}</legend>
${shopBoxes}
</fieldset>
<p><button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form>`,
  );
}

/** Renders an error page, e.g. for an unknown service_id. */
export function renderErrorPage(message: string): string {
  return page(
    'Authorization error - TikTok Shop emulator',
    `<h1>Authorization failed</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
