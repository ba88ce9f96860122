// Site settings: what an administrator changes in the console's Admin area while the server runs
// (docs/ARCHITECTURE.md, "Administration"). The config file uses these same schemas for the same
// keys (server/config.ts spreads `SiteSettingsEntries` into its own), so a value the file accepts
// the Admin area accepts and the other way round.
import * as v from 'valibot';
import { MAX_CHAT_CHARS } from './limits.ts';
import { SurveyQuestion } from './messages/index.ts';
import { LanguageSchema } from './i18n/locales.ts';


const PosInt = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));
const Line = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** A customer-facing text (agreement, notices, portal message): what a chat line may carry. */
const Body = Line(MAX_CHAT_CHARS);

/**
 * One language's versions of the customer-facing texts (docs/ARCHITECTURE.md "Languages"). The
 * settings' own texts are the default (English); anything a language leaves out falls back to
 * them. Lists go by position (the nth notice, category), survey questions by id; what is
 * stored and reported stays the default text (a category, a choice), so reports don't split by
 * language.
 */
export const SiteTexts = v.object({
  portalMessage: v.optional(Body),
  issueCategories: v.optional(v.pipe(v.array(Line(200)), v.maxLength(100))),
  agreement: v.optional(Body),
  notices: v.optional(v.pipe(v.array(Body), v.maxLength(20))),
  survey: v.optional(v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(64)), v.object({ text: v.optional(Line(500)), choices: v.optional(v.pipe(v.array(Line(200)), v.maxLength(20))) })),
    v.check((r) => Object.keys(r).length <= 30, 'at most 30 survey questions'),
  )),
});
export type SiteTexts = v.InferOutput<typeof SiteTexts>;

export const SiteSettingsEntries = {
  companyName: Line(200),
  /** Shown on the portal above its forms; empty shows nothing. */
  portalMessage: Body,
  issueCategories: v.pipe(v.array(Line(200)), v.maxLength(100)),
  /** `agentValiditySec`: how long an agent key (minted by the customer's token) may start an agent. */
  sessionKeys: v.pipe(
    v.object({ validityMin: PosInt, maxValidityMin: PosInt, agentValiditySec: PosInt }),
    v.forward(v.check((k) => k.validityMin <= k.maxValidityMin, 'the validity must not exceed the maximum validity'), ['validityMin']),
  ),
  agreement: v.nullable(v.object({ text: Body, timeoutSec: PosInt })),
  /**
   * Session recording (docs/ARCHITECTURE.md, "Recording"): `off`; `ask` the customer (the
   * prompt; a refusal records nothing); `always` (say so in the agreement text). While recording,
   * the server asks for a full picture every `refreshSec` so replay can seek. Recordings older
   * than `retentionDays` are deleted.
   */
  recording: v.object({ policy: v.picklist(['off', 'ask', 'always']), refreshSec: PosInt, retentionDays: PosInt }),
  /** Shown to every customer when they join. */
  notices: v.pipe(v.array(Body), v.maxLength(20)),
  /** Prepared notices a rep picks from a session's Notice tool and sends when it applies. */
  repNotices: v.pipe(v.array(Body), v.maxLength(50)),
  queueMessageIntervalSec: PosInt,
  orphan: v.object({ timeoutSec: PosInt, redirectUrl: v.nullable(v.pipe(v.string(), v.maxLength(2048), v.url('the redirect must be a full URL (https://…)'))) }),
  /** A customer joining with a session key or link enters a name first (shown to reps, History). */
  keySessionsAskName: v.boolean(),
  surveys: v.object({ customer: v.pipe(v.array(SurveyQuestion), v.maxLength(30)), rep: v.pipe(v.array(SurveyQuestion), v.maxLength(30)) }),
  watermark: v.boolean(),
  files: v.object({ maxBytes: PosInt, maxPerSession: PosInt }),
  /** Per-language versions of the texts above (`{ "de": { "agreement": "…" } }`); empty: English everywhere. */
  translations: v.record(LanguageSchema, SiteTexts),
};

export const SiteSettings = v.object(SiteSettingsEntries);
export type SiteSettings = v.InferOutput<typeof SiteSettings>;
export type SettingKey = keyof SiteSettings;
export const SETTING_KEYS = Object.keys(SiteSettingsEntries) as SettingKey[];

/** PUT /api/admin/settings: any subset of the keys, each given whole (an object key replaces the stored object). */
export const SettingsPatch = v.partial(v.strictObject(SiteSettingsEntries));
export type SettingsPatch = v.InferOutput<typeof SettingsPatch>;

/** GET and PUT /api/admin/settings answer the whole settings after the change. */
export const SettingsResponse = v.object({ settings: SiteSettings });
export type SettingsResponse = v.InferOutput<typeof SettingsResponse>;
