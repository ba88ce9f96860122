// The supported languages (languages.ts) and their schema: what protocol messages and HTTP
// bodies validate a language code with (docs/ARCHITECTURE.md "Languages").
import * as v from 'valibot';
import { LANGUAGES } from './languages.ts';

export * from './languages.ts';

/** A supported language code, as it travels in join bodies, messages and the store. */
export const LanguageSchema = v.picklist(LANGUAGES, 'unsupported language (one of en, de, fr, es, ar)');
