/**
 * Name matching for restricted-party screening: pure functions, no I/O.
 *
 * A name becomes a *match key*: accents folded, Cyrillic transliterated, punctuation
 * and organisation suffixes dropped, each word reduced to a spelling skeleton that
 * survives the usual transliteration variants, and the words sorted so word order
 * does not matter. Keys are compared with trigram similarity computed the way
 * PostgreSQL's pg_trgm computes it, so the database's `%` operator (candidate
 * retrieval over a GIN index) and this module (final score) agree.
 *
 * A score above the threshold is a lead for a person to check, never a conclusion.
 */

// Russian/Ukrainian/Belarusian Cyrillic to Latin, close to BGN/PCGN (what UK and US
// lists mostly use); the skeleton step below absorbs the other common systems.
const CYRILLIC = new Map<string, string>(Object.entries({
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'e', є: 'ye', ж: 'zh', з: 'z', и: 'i', і: 'i', ї: 'yi',
  й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ў: 'u', ф: 'f', х: 'kh',
  ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
}));

/** Letters NFKD does not decompose. */
const SPECIAL = new Map<string, string>(Object.entries({ ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' }));

/**
 * Romanisations of the same place or institution that share too few trigrams to meet
 * by similarity alone (postal / Wade-Giles against pinyin, older English exonyms).
 */
const WORD_VARIANTS = new Map<string, string>(Object.entries({
  tsinghua: 'qinghua', tsing: 'qing', peking: 'beijing', peiping: 'beijing', nanking: 'nanjing', canton: 'guangzhou',
  tientsin: 'tianjin', chungking: 'chongqing', amoy: 'xiamen', sian: 'xian', hsian: 'xian', soochow: 'suzhou', suchow: 'suzhou',
  hangchow: 'hangzhou', chekiang: 'zhejiang', szechuan: 'sichuan', szechwan: 'sichuan', kwangtung: 'guangdong',
  fukien: 'fujian', harbine: 'harbin', mukden: 'shenyang', dairen: 'dalian', tsingtao: 'qingdao', hupeh: 'hubei',
  chiaotung: 'jiaotong',
  kiev: 'kyiv', kharkov: 'kharkiv', odessa: 'odesa', moskva: 'moscow', moscou: 'moscow', moskau: 'moscow',
  teheran: 'tehran', pyongyang: 'pyongyang', phyongyang: 'pyongyang',
  univ: 'university', universitet: 'university', universite: 'university', universitat: 'university', universidad: 'university',
  universita: 'university', daxue: 'university', inst: 'institute', institut: 'institute', instituto: 'institute',
  tech: 'technology', technol: 'technology', sci: 'science', acad: 'academy', akademiya: 'academy', academia: 'academy',
  intl: 'international', natl: 'national', nat: 'national', mfg: 'manufacturing', eng: 'engineering',
}));

/** Legal-form words and fillers that say nothing about who the party is. */
const DROP_WORDS = new Set([
  'ltd', 'limited', 'co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'llc', 'llp', 'lp', 'plc', 'gmbh', 'ag',
  'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'kk', 'pte', 'pty', 'jsc', 'ojsc', 'pjsc', 'cjsc',
  'ooo', 'oao', 'zao', 'pao', 'ao', 'fgup', 'fsue', 'gup', 'tov', 'the', 'of', 'and', 'for', 'de', 'del', 'der', 'des',
  'du', 'la', 'le', 'el', 'al', 'und', 'et', 'y',
]);

/**
 * Words too common in institution names to identify one: a match resting only on them
 * ("Nanjing University" against "Nanjing University of Aeronautics") is no match.
 */
const GENERIC_WORDS = new Set(
  ['university', 'institute', 'technology', 'technical', 'science', 'sciences', 'state', 'national', 'academy', 'college',
    'school', 'center', 'centre', 'research', 'group', 'bank', 'international', 'engineering', 'polytechnic', 'polytechnical',
    'corporation', 'concern', 'holding', 'holdings', 'industries', 'industry', 'trading', 'general', 'company', 'pmc'].map((w) => wordSkeleton(w)),
);

/**
 * Words a list adds to a name without naming another body: legal and corporate
 * descriptors. Institution types (university, institute) are not among them, since
 * "X University" and "X Institute of Technology" are different bodies.
 */
const FILLER_WORDS = new Set(
  ['state', 'corporation', 'group', 'company', 'holding', 'holdings', 'general', 'international', 'concern', 'pmc', 'public', 'joint', 'stock']
    .map((w) => wordSkeleton(w)),
);
/** A Russian patronymic, which lists carry and people usually leave out. */
const PATRONYMIC = /(ovich|evich|ovna|evna|ichna)$/;

/** Multi-word legal forms, removed before words are split. */
const DROP_PHRASES = [
  /\b(open|closed|public|private|non public)? ?joint[ -]stock company\b/g,
  /\blimited liability (company|partnership)\b/g,
  /\bfederal state unitary enterprise\b/g,
  /\bstate unitary enterprise\b/g,
  /\bco\.?,? ?ltd\b/g,
];

/** Case and accent folding plus Cyrillic transliteration; keeps word breaks. */
export function foldName(name: string): string {
  let s = name.normalize('NFKC').toLowerCase();
  s = [...s].map((ch) => CYRILLIC.get(ch) ?? SPECIAL.get(ch) ?? ch).join('');
  s = s.normalize('NFKD').replace(/\p{M}+/gu, '');
  s = s.replace(/&/g, ' and ').replace(/['’`ʼ]/g, '');
  return s.replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * A spelling skeleton of one word: the transliteration choices that differ between
 * systems (kh/h, ts/tz/c, y/i/j, ks/x, ph/f, w/v, doubled letters) collapse to one form.
 */
export function wordSkeleton(word: string): string {
  let w = WORD_VARIANTS.get(word) ?? word;
  w = w
    .replace(/shch|sch|tsch/g, 'sh')
    .replace(/dzh|dj/g, 'j')
    .replace(/zh/g, 'j')
    .replace(/kh/g, 'h')
    .replace(/tch/g, 'ch')
    .replace(/ts|tz/g, 'c')
    .replace(/x/g, 'ks')
    .replace(/ph/g, 'f')
    .replace(/w/g, 'v')
    .replace(/ck/g, 'k')
    .replace(/ou/g, 'u')
    .replace(/c(?![hei])/g, 'k')
    .replace(/y/g, 'i')
    .replace(/^ie/, 'e')
    .replace(/eie/g, 'e')
    .replace(/([bdfgklmnpstvz])er$/, '$1r')
    .replace(/(.)\1+/g, '$1');
  return w;
}

/** The words of a name that identify it, as skeletons, in their original order. */
export function nameWords(name: string): string[] {
  let s = foldName(name);
  for (const p of DROP_PHRASES) s = s.replace(p, ' ');
  return s
    .split(' ')
    .filter((w) => w && !DROP_WORDS.has(w))
    .map(wordSkeleton)
    .filter(Boolean);
}

/**
 * The key stored beside every list name and computed for every screened name: the
 * distinct word skeletons, sorted, so "University of Tsinghua" and "Qinghua University"
 * share one key.
 */
export function matchKey(name: string): string {
  return [...new Set(nameWords(name))].sort().join(' ');
}

/** pg_trgm's trigrams: per word, padded with two spaces before and one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.split(/[^a-z0-9]+/).filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

/** pg_trgm `similarity()`: shared trigrams over all distinct trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/**
 * How well two names match, 0..1. The trigram similarity of the keys, raised when
 * every word of the shorter name has a close counterpart in the longer one (a name
 * with an extra descriptive word, "Rosoboronexport" / "Rosoboronexport State
 * Corporation"), but only when the shorter name has two or more words or is long,
 * so one common word never makes a match on its own.
 */
export function nameSimilarity(a: string, b: string): number {
  const ka = matchKey(a);
  const kb = matchKey(b);
  if (!ka || !kb) return 0;
  if (ka === kb) return 1;
  const base = trigramSimilarity(ka, kb);
  const wa = ka.split(' ');
  const wb = kb.split(' ');
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const close = (w: string) => long.some((x) => x === w || trigramSimilarity(x, w) >= 0.6);
  const distinctive = (ws: string[]) => ws.filter((w) => !GENERIC_WORDS.has(w));
  const shortDistinctive = distinctive(short);
  // Extra words in the longer name may only be generic ones ("Rosoboronexport" against
  // "Rosoboronexport State Corporation"); an extra distinctive word names another body.
  const extra = long.filter((w) => !short.some((x) => x === w || trigramSimilarity(x, w) >= 0.6));
  const extraDistinctive = extra.filter((w) => !FILLER_WORDS.has(w) && !PATRONYMIC.test(w));
  const covered = short.every(close);
  const enough = shortDistinctive.length >= 2 || (shortDistinctive.length === 1 && shortDistinctive[0].length >= 5);
  if (covered && enough && extraDistinctive.length === 0) {
    return Math.max(base, 0.9 - 0.03 * (long.length - short.length));
  }
  return base;
}
