// The names of the built-in image-to-image data sources (the config's data.source), in one place.
export const TRANSLATION_SOURCES = [
  'emoji-pairs',
  'emoji-colorize',
  'emoji-unpaired',
  'fmnist-edges',
  'fmnist-sneaker-boot',
  'translation-folder',
] as const;

export function isTranslationSource(source: string): boolean {
  return (TRANSLATION_SOURCES as readonly string[]).includes(source);
}
