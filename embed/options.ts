// What a site says about its click-to-chat: its script tag's data attributes or Bridge.init's
// argument (docs/INTEGRATIONS.md, "Click-to-chat"). Only the loader's own tag is read.
import type { EmbedFields, EmbedLook, PrefillSignature } from '../protocol/api/embed.ts';

export interface SiteOptions {
  /** `general` (default) or `team:<id>`. */
  queue?: string;
  /** The site's look; each one left out comes from the server's defaults. */
  look?: Partial<EmbedLook>;
  /** Pre-chat fields the customer doesn't type again. */
  fields?: EmbedFields;
  /** The help desk's signature over external key, name and e-mail. */
  signed?: PrefillSignature;
}

const FIELD_ATTRS = { name: 'name', company: 'company', email: 'email', issue: 'issue', description: 'description', externalKey: 'externalKey', language: 'language' } as const;
const LOOK_ATTRS = ['invitation', 'buttonText', 'position', 'colour', 'textColour', 'language', 'open'] as const;

/** `data-button-text` → look.buttonText, `data-external-key` → fields.externalKey, and so on. */
export function readOptions(d: DOMStringMap): SiteOptions {
  const look: Partial<EmbedLook> = {};
  for (const k of LOOK_ATTRS) if (d[k] !== undefined) (look as Record<string, string>)[k] = d[k]!;
  if (d.delay !== undefined && Number.isFinite(Number(d.delay))) look.delaySec = Number(d.delay);
  const fields: EmbedFields = {};
  for (const [k, attr] of Object.entries(FIELD_ATTRS)) if (d[attr] !== undefined) (fields as Record<string, string>)[k] = d[attr]!;
  const o: SiteOptions = { look, fields };
  if (d.queue) o.queue = d.queue;
  if (d.signature && d.clientId && d.nonce && d.expires) o.signed = { clientId: d.clientId, nonce: d.nonce, expires: Number(d.expires), signature: d.signature };
  return o;
}

/** Options given later (Bridge.init) over the tag's, field by field. */
export function mergeOptions(a: SiteOptions, b: SiteOptions): SiteOptions {
  return { ...a, ...b, look: { ...a.look, ...b.look }, fields: { ...a.fields, ...b.fields } };
}
