// English words for transcript lines in the agent's terminal. The packaged agent is one file with
// no catalogue files beside it, so the English catalogue is bundled as data and compiled here.
import MessageFormat from '@messageformat/core';
import { createTranslator, type Catalogue, type MessageFn } from '../../protocol/i18n/translate.ts';
import en from '../../protocol/i18n/messages/events/en.json';

const mf = new MessageFormat('en', { strict: true });
const compiled: Catalogue = Object.fromEntries(Object.entries(en as Record<string, string>).map(([k, src]) => [k, mf.compile(src) as MessageFn]));

export const englishEventWords = createTranslator('en', compiled);
