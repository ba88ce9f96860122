// esbuild plugin: a catalogue JSON imported by a browser app (protocol/i18n/messages/<ns>/<lang>.json)
// becomes a module of compiled message functions (docs/ARCHITECTURE.md "Languages"), so the page
// carries @messageformat/runtime's few hundred bytes instead of an ICU parser.
import type { Plugin } from 'esbuild';
import { dirname } from 'node:path';
import { catalogueModule } from '../protocol/i18n/compile.ts';

const CATALOGUE = /[\\/]protocol[\\/]i18n[\\/]messages[\\/]([a-z-]+)[\\/]([a-z]{2})\.json$/;

export const i18nPlugin: Plugin = {
  name: 'bridge-i18n',
  setup(b) {
    b.onLoad({ filter: CATALOGUE }, (args) => {
      const [, ns, lang] = CATALOGUE.exec(args.path)!;
      return { contents: catalogueModule(ns, lang), loader: 'js', resolveDir: dirname(args.path), watchFiles: [args.path] };
    });
  },
};
