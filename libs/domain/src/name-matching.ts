import { transliterate } from 'transliteration';

/**
 * Name matching for restricted-party screening: pure functions, no I/O.
 *
 * Two stages. Retrieval: a name becomes a *match key* (below) that PostgreSQL's pg_trgm
 * index searches for candidates. Scoring: `compareNames` (further down) compares the
 * candidate name part by part, after the design of OpenSanctions' logic-v2 matcher.
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
const CYRILLIC = new Map<string, string>(
  Object.entries({
    а: 'a',
    б: 'b',
    в: 'v',
    г: 'g',
    ґ: 'g',
    д: 'd',
    е: 'e',
    ё: 'e',
    є: 'ye',
    ж: 'zh',
    з: 'z',
    и: 'i',
    і: 'i',
    ї: 'yi',
    й: 'y',
    к: 'k',
    л: 'l',
    м: 'm',
    н: 'n',
    о: 'o',
    п: 'p',
    р: 'r',
    с: 's',
    т: 't',
    у: 'u',
    ў: 'u',
    ф: 'f',
    х: 'kh',
    ц: 'ts',
    ч: 'ch',
    ш: 'sh',
    щ: 'shch',
    ъ: '',
    ы: 'y',
    ь: '',
    э: 'e',
    ю: 'yu',
    я: 'ya',
  }),
);

/** Letters NFKD does not decompose. */
const SPECIAL = new Map<string, string>(Object.entries({ ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' }));

/**
 * Romanisations of the same place or institution that share too few trigrams to meet
 * by similarity alone (postal / Wade-Giles against pinyin, older English exonyms).
 */
const WORD_VARIANTS = new Map<string, string>(
  Object.entries({
    tsinghua: 'qinghua',
    tsing: 'qing',
    peking: 'beijing',
    peiping: 'beijing',
    nanking: 'nanjing',
    canton: 'guangzhou',
    tientsin: 'tianjin',
    chungking: 'chongqing',
    amoy: 'xiamen',
    sian: 'xian',
    hsian: 'xian',
    soochow: 'suzhou',
    suchow: 'suzhou',
    hangchow: 'hangzhou',
    chekiang: 'zhejiang',
    szechuan: 'sichuan',
    szechwan: 'sichuan',
    kwangtung: 'guangdong',
    fukien: 'fujian',
    harbine: 'harbin',
    mukden: 'shenyang',
    dairen: 'dalian',
    tsingtao: 'qingdao',
    hupeh: 'hubei',
    chiaotung: 'jiaotong',
    kiev: 'kyiv',
    kharkov: 'kharkiv',
    odessa: 'odesa',
    moskva: 'moscow',
    moscou: 'moscow',
    moskau: 'moscow',
    teheran: 'tehran',
    pyongyang: 'pyongyang',
    phyongyang: 'pyongyang',
    univ: 'university',
    universitet: 'university',
    universite: 'university',
    universitat: 'university',
    universidad: 'university',
    universita: 'university',
    daxue: 'university',
    inst: 'institute',
    institut: 'institute',
    instituto: 'institute',
    tech: 'technology',
    technol: 'technology',
    sci: 'science',
    acad: 'academy',
    akademiya: 'academy',
    academia: 'academy',
    intl: 'international',
    natl: 'national',
    nat: 'national',
    mfg: 'manufacturing',
    eng: 'engineering',
  }),
);

/** Legal-form words and fillers that say nothing about who the party is. */
const DROP_WORDS = new Set([
  'ltd',
  'limited',
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'kk',
  'pte',
  'pty',
  'jsc',
  'ojsc',
  'pjsc',
  'cjsc',
  'ooo',
  'oao',
  'zao',
  'pao',
  'ao',
  'fgup',
  'fsue',
  'gup',
  'tov',
  'the',
  'of',
  'and',
  'for',
  'de',
  'del',
  'der',
  'des',
  'du',
  'la',
  'le',
  'el',
  'al',
  'und',
  'et',
  'y',
]);

/**
 * Words too common in institution names to identify one: a match resting only on them
 * ("Nanjing University" against "Nanjing University of Aeronautics") is no match.
 */
const GENERIC_WORDS = new Set(
  [
    'university',
    'institute',
    'technology',
    'technical',
    'science',
    'sciences',
    'state',
    'national',
    'academy',
    'college',
    'school',
    'center',
    'centre',
    'research',
    'group',
    'bank',
    'international',
    'engineering',
    'polytechnic',
    'polytechnical',
    'corporation',
    'concern',
    'holding',
    'holdings',
    'industries',
    'industry',
    'trading',
    'general',
    'company',
    'pmc',
  ].map((w) => wordSkeleton(w)),
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
  // Every other script (Arabic, Han, Greek, Hebrew, Armenian, Georgian, Hangul…) by the
  // transliteration library; Latin and the Cyrillic above are left as they are.
  if (/[^\u0000-\u024f\u1e00-\u1eff]/.test(s)) s = transliterate(s, { unknown: '' }).toLowerCase();
  s = s.normalize('NFKD').replace(/\p{M}+/gu, '');
  s = s.replace(/&/g, ' and ').replace(/['’`ʼ@]/g, '');
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

// ---------------------------------------------------------------------------------
// Scoring: part-by-part comparison after OpenSanctions' logic-v2
//
// A name is cut into parts, each with a kind that sets its weight: a word, an initial
// ("J."), an acronym ("A.B.C." kept as one part, so "C.B.A." differs), a number, a
// legal form (normalised across languages: Aktiengesellschaft → ag, 有限公司 → ltd), a
// generic institution word, or a stop word (dropped). Parts of the two names are
// aligned one to one, best pairs first; each pair scores by a weighted edit distance
// on the spelling skeletons (vowel swaps cost half), Jaro-Winkler for long parts, and
// for abjad scripts (Arabic, Hebrew: no written vowels) the consonants alone. Parts
// left over lower the score by their weight (a part of the query the listed name lacks
// weighs more than a listed middle name the query left out), never to zero by
// themselves. Word order is free, but the aligned parts must keep their order or
// reverse it ("LAVROV Sergei"); other shuffles cost a little each.

export type NamePartKind = 'word' | 'initial' | 'acronym' | 'number' | 'legal' | 'generic';

export interface NamePart {
  text: string;
  skeleton: string;
  kind: NamePartKind;
  /** from an abjad script: compare consonants only */
  abjad: boolean;
  /** written in parentheses: a qualifier whose absence counts half */
  optional?: boolean;
  index: number;
}

export interface AnalysedName {
  original: string;
  parts: NamePart[];
  /** Unicode scripts of the letters, e.g. ['Latin'], ['Han'] */
  scripts: string[];
  /** the parts' skeletons without spaces, for names split or joined differently */
  compact: string;
}

const SCRIPTS: [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Georgian', /\p{Script=Georgian}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Bengali', /\p{Script=Bengali}/u],
  ['Ethiopic', /\p{Script=Ethiopic}/u],
];
export function scriptsOf(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const hit = SCRIPTS.find(([, re]) => re.test(ch));
    found.add(hit ? hit[0] : 'Other');
  }
  return [...found];
}
/**
 * Scripts whose romanisation is not how the lists write the same party in Latin
 * letters (Chinese characters read as pinyin syllables, Korean as revised
 * romanisation): a query in them is screened, with a warning that English-language
 * names of the same party will not be found.
 */
export const WEAKLY_ROMANISED_SCRIPTS = new Set(['Han', 'Hiragana', 'Katakana', 'Hangul', 'Thai', 'Ethiopic', 'Other']);

/** Legal forms, across languages, to one canonical part. Applied to folded text. */
const LEGAL_PHRASES: [RegExp, string][] = [
  [/\bgu fen you xian gong si\b/g, 'ltd'],
  [/\byou xian (?:ze ren )?gong si\b/g, 'ltd'],
  [/\bgong si\b/g, 'co'],
  [/\bkabushiki (?:kaisha|gaisha)\b/g, 'kk'],
  [/\baktiengesellschaft\b/g, 'ag'],
  [/\bgesellschaft mit beschrankter haftung\b/g, 'gmbh'],
  [/\bobshchestvo s ogranichennoi otvetstvennostiu\b|\bobshchestvo s ogranichennoy otvetstvennostyu\b/g, 'ooo'],
  [/\b(?:publichnoe|otkrytoe|zakrytoe)? ?aktsionernoe obshchestvo\b/g, 'ao'],
  [/\b(?:open|closed|public|private|non public)? ?joint[ -]stock company\b/g, 'jsc'],
  [/\blimited liability (?:company|partnership)\b/g, 'llc'],
  [/\bpublic limited company\b/g, 'plc'],
  [/\bsociete anonyme\b|\bsociedad anonima\b|\bsociedade anonima\b/g, 'sa'],
  [/\bsocieta per azioni\b/g, 'spa'],
  [/\bsp z o ?o\b/g, 'ltd'],
  [/\bbesloten vennootschap\b/g, 'bv'],
  [/\bnaamloze vennootschap\b/g, 'nv'],
  [/\bsocietatea cu raspundere limitata\b/g, 'srl'],
  [/\bsociedad de responsabilidad limitada\b/g, 'srl'],
  [/\bsocieta a responsabilita limitata\b/g, 'srl'],
  [/\bfederal state unitary enterprise\b/g, 'fgup'],
  [/\bstate unitary enterprise\b/g, 'gup'],
  [/\bco ltd\b|\bcompany limited\b/g, 'ltd'],
];
const LEGAL_CANON = new Map<string, string>(
  Object.entries({
    limited: 'ltd',
    ltd: 'ltd',
    incorporated: 'inc',
    inc: 'inc',
    corporation: 'corp',
    corp: 'corp',
    company: 'co',
    co: 'co',
    llc: 'llc',
    llp: 'llp',
    lp: 'lp',
    plc: 'plc',
    gmbh: 'gmbh',
    ag: 'ag',
    sa: 'sa',
    sas: 'sas',
    sarl: 'sarl',
    srl: 'srl',
    spa: 'spa',
    bv: 'bv',
    nv: 'nv',
    oy: 'oy',
    ab: 'ab',
    kk: 'kk',
    pte: 'pte',
    pty: 'pty',
    jsc: 'jsc',
    ojsc: 'jsc',
    pjsc: 'jsc',
    cjsc: 'jsc',
    ooo: 'ooo',
    oao: 'jsc',
    zao: 'jsc',
    pao: 'jsc',
    ao: 'jsc',
    fgup: 'fgup',
    fsue: 'fgup',
    gup: 'gup',
    tov: 'ooo',
    ltda: 'ltd',
    sae: 'sa',
    fze: 'fze',
    fzco: 'fze',
    fzc: 'fze',
    ehf: 'ehf',
    as: 'as',
    aps: 'as',
  }),
);
const STOP_WORDS = new Set([
  'the',
  'of',
  'and',
  'for',
  'de',
  'del',
  'der',
  'des',
  'du',
  'la',
  'le',
  'el',
  'al',
  'und',
  'et',
  'y',
  'da',
  'do',
  'dos',
  'van',
  'von',
  'den',
  'di',
  // Arabic name connectors, written or left out at will
  'bin',
  'ibn',
  'ben',
  'bint',
  'binti',
  'ould',
  'bn',
  // titles and honorifics, which lists and people add or leave out
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'sir',
  'president',
  'prezident',
  'prasident',
  'praesident',
  'monsieur',
  'madame',
  'herr',
  'frau',
  'shaikh',
  'sheikh',
  'haji',
  'hajji',
  'mullah',
  'maulavi',
  'mawlawi',
  'general',
  'colonel',
  'gospodin',
]);
/** Spellings of one name element that edit distance would not join. */
const PART_VARIANTS = new Map<string, string>(Object.entries({ abdul: 'abd', abdel: 'abd', abdal: 'abd', abdoul: 'abd', abdol: 'abd', mohd: 'muhammad' }));
/** Long legal-form words, caught even when misspelt ("Aktiengeselschaft"). */
const LONG_LEGAL = new Map<string, string>(Object.entries({ aktiengesellschaft: 'ag', kommanditgesellschaft: 'kg', incorporated: 'inc', corporation: 'corp' }));
/** Digits typed for letters inside a word ("Ig0r Sech1n"). */
const LEET = new Map<string, string>(Object.entries({ 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', 9: 'g' }));

/** Number words to digits, so "Brigade Forty-Four" meets "Brigade 44" and "1st" meets "First". */
const NUMBER_WORDS = new Map<string, number>(
  Object.entries({
    zero: 0,
    one: 1,
    first: 1,
    two: 2,
    second: 2,
    three: 3,
    third: 3,
    four: 4,
    fourth: 4,
    five: 5,
    fifth: 5,
    six: 6,
    sixth: 6,
    seven: 7,
    seventh: 7,
    eight: 8,
    eighth: 8,
    nine: 9,
    ninth: 9,
    ten: 10,
    tenth: 10,
    eleven: 11,
    twelve: 12,
    thirteen: 13,
    fourteen: 14,
    fifteen: 15,
    sixteen: 16,
    seventeen: 17,
    eighteen: 18,
    nineteen: 19,
    twenty: 20,
    thirty: 30,
    forty: 40,
    fourty: 40,
    fifty: 50,
    sixty: 60,
    seventy: 70,
    eighty: 80,
    ninety: 90,
  }),
);
function numberWords(words: string[]): string[] {
  const out: string[] = [];
  for (const raw of words) {
    const w = raw.replace(/^(\d+)(?:st|nd|rd|th|ers?)$/, '$1');
    const n = NUMBER_WORDS.get(w);
    const prev = out[out.length - 1];
    if (n !== undefined && n < 10 && prev && /^\d0$/.test(prev) && prev !== '10') out[out.length - 1] = String(Number(prev) + n);
    else if (/^\d$/.test(w) && prev && /^\d0$/.test(prev) && prev !== '10') out[out.length - 1] = String(Number(prev) + Number(w));
    else out.push(n !== undefined ? String(n) : w);
  }
  return out;
}
const NUMBER = /^\d+$/;

/** Analyses of names seen lately: list names come back check after check. */
const ANALYSED = new Map<string, AnalysedName>();
const ANALYSED_MAX = 100_000;

/** Cuts a name into parts with kinds; see the section comment. Memoised. */
export function analyseName(name: string): AnalysedName {
  const hit = ANALYSED.get(name);
  if (hit) return hit;
  const a = analyse(name);
  if (ANALYSED.size >= ANALYSED_MAX) ANALYSED.clear();
  ANALYSED.set(name, a);
  return a;
}

function analyse(name: string): AnalysedName {
  const scripts = scriptsOf(name);
  const abjad = scripts.includes('Arabic') || scripts.includes('Hebrew');
  // Dotted initials written together ("A.B.C.", "J.R.") are one acronym part.
  const chunks = name
    .normalize('NFKC')
    .split(/\s+/)
    .map((c) => {
      const letters = /^(?:\p{L}\.){2,}\p{L}?\.?$/u.test(c) ? c.replace(/\./g, '') : null;
      return letters ? `\u0001${letters}` : c;
    });
  const acronyms = new Set<string>();
  let text = chunks
    .map((c) => {
      if (!c.startsWith('\u0001')) return c;
      const folded = foldName(c.slice(1)).replace(/ /g, '');
      acronyms.add(folded);
      return ` ${folded} `;
    })
    .join(' ');
  // Words in parentheses ("Deutsche Bank (Schweiz) AG") qualify a name: they count half when missing.
  const optional = new Set<string>();
  for (const m of text.matchAll(/\(([^)]*)\)/g)) for (const w of foldName(m[1]).split(' ')) if (w) optional.add(w);
  text = foldName(text);
  for (const [re, canon] of LEGAL_PHRASES) text = text.replace(re, ` ${canon} `);
  const folded = numberWords(text.split(' ').filter(Boolean));
  const words = folded.map((w) => {
    if (/\d/.test(w) && /[a-z].*[a-z]/.test(w)) w = [...w].map((ch) => LEET.get(ch) ?? ch).join('');
    if (w.length >= 10) for (const [long, canon] of LONG_LEGAL) if (editDistance(w, long) <= 2) return canon;
    return PART_VARIANTS.get(w) ?? w;
  });
  const parts: NamePart[] = [];
  const seen = new Set<string>();
  // Romanised Chinese, Japanese or Korean syllables are not English or Arabic stop words.
  const syllables = scripts.some((sc) => sc === 'Han' || sc === 'Hangul' || sc === 'Hiragana' || sc === 'Katakana');
  for (const w of words) {
    if (!syllables && STOP_WORDS.has(w) && words.length > 1) continue;
    // "Sergey Sergey Shoigu": a repeated part says nothing more.
    if (!syllables && seen.has(w)) continue;
    seen.add(w);
    const legal = LEGAL_CANON.get(w);
    let kind: NamePartKind;
    let t = w;
    if (acronyms.has(w)) kind = 'acronym';
    else if (legal && words.length > 1) {
      kind = 'legal';
      t = legal;
    } else if (NUMBER.test(w)) kind = 'number';
    else if (w.length === 1) kind = 'initial';
    else kind = GENERIC_WORDS.has(wordSkeleton(w)) ? 'generic' : 'word';
    const skeleton = kind === 'word' || kind === 'generic' ? wordSkeleton(t) : t;
    parts.push({ text: t, skeleton, kind, abjad, index: parts.length, optional: optional.has(w) });
  }
  // The name with every word, stop words included, run together: for names split or
  // joined differently ("Sun Yat-sen" / "Sun Yatsen", "van der Bilt" / "Vanderbilt").
  const compact = wordSkeleton(words.join(''));
  return { original: name, parts, scripts, compact };
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
/** Damerau-Levenshtein (optimal string alignment) where swapping one vowel for another costs half. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (!n) return m;
  if (!m) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const ca = a[i - 1];
      const cb = b[j - 1];
      const sub = ca === cb ? 0 : VOWELS.has(ca) && VOWELS.has(cb) ? 0.5 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub);
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** Jaro-Winkler similarity, 0..1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (!la || !lb) return 0;
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Array<boolean>(la).fill(false);
  const mb = new Array<boolean>(lb).fill(false);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(lb, i + range + 1); j++) {
      if (mb[j] || a[i] !== b[j]) continue;
      ma[i] = mb[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Edits a part of this length may carry and still be the same part: none up to 3 letters. */
const allowedEdits = (len: number): number => (len <= 3 ? 0.5 : len <= 5 ? 1 : len <= 8 ? 1.5 : len <= 12 ? 2 : 3);
/** Consonants as an abjad writes them: vowels, w/y (long vowels) and h dropped, p/v as b/f (Arabic has neither). */
const consonants = (s: string): string =>
  s
    .replace(/[aeiouyw'@`h]/g, '')
    .replace(/p/g, 'b')
    .replace(/v/g, 'f')
    .replace(/(.)\1+/g, '$1');

/** How alike two parts are, 0..1. */
export function partSimilarity(a: NamePart, b: NamePart): number {
  if (a.text === b.text) return 1;
  if (a.kind === 'number' || b.kind === 'number' || a.kind === 'acronym' || b.kind === 'acronym') return 0;
  if (a.kind === 'legal' || b.kind === 'legal') return a.kind === b.kind ? 0.6 : 0;
  if (a.kind === 'initial' || b.kind === 'initial') {
    const [i, w] = a.kind === 'initial' ? [a, b] : [b, a];
    return w.kind !== 'initial' && w.text.startsWith(i.text) ? 0.8 : 0;
  }
  // Short parts ("ABB" / "AAB") collapse to one skeleton too easily: spelling must agree.
  if (a.skeleton === b.skeleton && Math.min(a.text.length, b.text.length) >= 4) return 0.95;
  if (a.abjad !== b.abjad) {
    // An abjad part carries consonants only: compare the other side's consonants.
    const ca = consonants(a.skeleton);
    const cb = consonants(b.skeleton);
    if (ca.length < 2 || cb.length < 2) return ca === cb ? 0.7 : 0;
    if (ca === cb) return 0.9;
    const d = editDistance(ca, cb);
    return d <= 1 && Math.max(ca.length, cb.length) >= 4 ? 0.8 : 0;
  }
  // Short parts are compared as spelt: their skeletons say too little.
  const short = Math.min(a.text.length, b.text.length) < 4;
  const [x, y] = short ? [a.text, b.text] : [a.skeleton, b.skeleton];
  const len = Math.max(x.length, y.length);
  const d = editDistance(x, y);
  let sim = d <= allowedEdits(len) ? 1 - d / len : 0;
  // Long parts with a shared start: Jaro-Winkler forgives more than the edit budget.
  if (len >= 7) {
    const jw = jaroWinkler(a.skeleton, b.skeleton);
    const sameLength = Math.abs(a.skeleton.length - b.skeleton.length) <= 2;
    if (sameLength && jw >= 0.93 && a.skeleton.slice(0, 3) === b.skeleton.slice(0, 3)) sim = Math.max(sim, jw - 0.13);
  }
  if (sim === 0 && len >= 5 && consonants(a.skeleton) === consonants(b.skeleton)) sim = 0.75;
  return sim;
}

/** Weight of a part in the name's score: what it says about who the party is. */
const KIND_WEIGHT: Record<NamePartKind, number> = { word: 1, initial: 0.5, acronym: 1, number: 1.3, legal: 0.25, generic: 0.6 };
/** A query part the listed name lacks counts this much of its weight against the match… */
const EXTRA_QUERY = 0.5;
/** …and a listed part the query leaves out (a middle name, a patronymic) this much. */
const EXTRA_LISTED = 0.3;
/** …and, when a person's shorter name lies wholly inside the longer, each extra part this much. */
const EXTRA_CONTAINED = 0.25;
const MIN_PAIR = 0.5;

export interface AlignedPart {
  query: string | null;
  listed: string | null;
  score: number;
  weight: number;
}

export interface NameComparison {
  score: number;
  aligned: AlignedPart[];
  /** parts of the query the listed name lacks, and the reverse */
  extraQuery: string[];
  extraListed: string[];
  /** aligned parts out of order (neither kept nor reversed) */
  orderBreaks: number;
  method: 'parts' | 'compact';
}

function inversions(xs: number[]): number {
  let n = 0;
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) if (xs[i] > xs[j]) n++;
  return n;
}

/** Compares two analysed names; `a` is the query, `b` the listed name. */
export function compareAnalysed(a: AnalysedName, b: AnalysedName): NameComparison {
  const empty: NameComparison = { score: 0, aligned: [], extraQuery: [], extraListed: [], orderBreaks: 0, method: 'parts' };
  if (!a.parts.length || !b.parts.length) return empty;
  const pairs: { i: number; j: number; s: number }[] = [];
  for (const p of a.parts)
    for (const q of b.parts) {
      const s = partSimilarity(p, q);
      if (s >= MIN_PAIR) pairs.push({ i: p.index, j: q.index, s });
    }
  // Best pairs first; between equal scores, the one nearer in position.
  pairs.sort((x, y) => y.s - x.s || Math.abs(x.i - x.j) - Math.abs(y.i - y.j));
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const chosen: { i: number; j: number; s: number }[] = [];
  for (const p of pairs) {
    if (usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
    chosen.push(p);
  }
  const aligned: AlignedPart[] = [];
  let num = 0;
  let den = 0;
  let distinctive = 0;
  for (const c of chosen) {
    const pa = a.parts[c.i];
    const pb = b.parts[c.j];
    const w = Math.max(KIND_WEIGHT[pa.kind], KIND_WEIGHT[pb.kind]);
    num += w * c.s;
    den += w;
    if (pa.kind !== 'legal' && pa.kind !== 'generic' && pb.kind !== 'legal' && pb.kind !== 'generic') distinctive++;
    aligned.push({ query: pa.text, listed: pb.text, score: round(c.s), weight: w });
  }
  const extraQuery = a.parts.filter((p) => !usedA.has(p.index));
  const extraListed = b.parts.filter((p) => !usedB.has(p.index));
  // A part on each side left unpaired is a conflict ("…Hasan al-Dulaimi" against
  // "…Hasan al-Tikriti"), not a part one side left out: such parts count in full.
  const strong = (p: NamePart) => p.kind === 'word' || p.kind === 'number' || p.kind === 'acronym';
  let conflicts = Math.min(extraQuery.filter(strong).length, extraListed.filter(strong).length);
  let conflictsListed = conflicts;
  // In a body's name an extra word names another body ("Tianjin Normal University"):
  // listed extras weigh as much as the query's.
  const organisation = [...a.parts, ...b.parts].some((p) => p.kind === 'generic' || p.kind === 'legal');
  // A person's shorter name wholly inside the longer one ("Fazl Rabi" in "Fazl Rabi Abdul
  // Hamid") is the same name written short, whichever side is the query.
  const contained = !organisation && (extraQuery.length === 0 || extraListed.length === 0) && Math.min(a.parts.length, b.parts.length) >= 2;
  const extraWeight = (p: NamePart, side: number): number => {
    if (p.kind === 'generic') return KIND_WEIGHT[p.kind];
    if (organisation && side === EXTRA_LISTED) side = EXTRA_QUERY;
    if (contained) side = EXTRA_CONTAINED;
    if (strong(p)) {
      if (side === EXTRA_QUERY && conflicts > 0) {
        conflicts--;
        return KIND_WEIGHT[p.kind];
      }
      if (side === EXTRA_LISTED && conflictsListed > 0) {
        conflictsListed--;
        return KIND_WEIGHT[p.kind];
      }
    }
    // A patronymic is the part people most often leave out; a parenthesised qualifier too.
    return KIND_WEIGHT[p.kind] * side * (PATRONYMIC.test(p.skeleton) || p.optional ? 0.5 : 1);
  };
  for (const p of extraQuery) {
    const w = extraWeight(p, EXTRA_QUERY);
    den += w;
    aligned.push({ query: p.text, listed: null, score: 0, weight: round(w) });
  }
  for (const p of extraListed) {
    const w = extraWeight(p, EXTRA_LISTED);
    den += w;
    aligned.push({ query: null, listed: p.text, score: 0, weight: round(w) });
  }
  let score = den > 0 ? num / den : 0;
  // Order: the aligned parts, read in query order, should run forwards or backwards in
  // the listed name (surname first). Anything else costs a little per break.
  // Legal forms move about freely ("JSC X" / "X JSC"): they are left out of the order.
  const order = chosen
    .filter((c) => a.parts[c.i].kind !== 'legal')
    .sort((x, y) => x.i - y.i)
    .map((c) => c.j);
  const inv = inversions(order);
  const maxInv = (order.length * (order.length - 1)) / 2;
  // A rotation ("LAVROV Sergey Viktorovich") is a surname written first, not a shuffle.
  const descents = order.filter((x, k) => k > 0 && x < order[k - 1]).length;
  const rotation = descents === 1 && order[order.length - 1] < order[0];
  const breaks = inv === 0 || inv === maxInv || rotation ? 0 : Math.min(inv, maxInv - inv);
  score *= Math.pow(0.85, breaks);
  // Nothing but generic words and legal forms in common is no match ("Nanjing University"
  // against "Beijing University").
  if (distinctive === 0) score = Math.min(score, 0.5);
  let result: NameComparison = {
    score,
    aligned,
    extraQuery: extraQuery.map((p) => p.text),
    extraListed: extraListed.map((p) => p.text),
    orderBreaks: breaks,
    method: 'parts',
  };
  // Names split or joined differently ("Al Qahtani" / "Alqahtani", pinyin syllables).
  if ((a.compact.length >= 6 && b.compact.length >= 6 && a.compact !== b.compact) || (a.compact === b.compact && a.compact.length >= 6)) {
    const d = editDistance(a.compact, b.compact);
    const len = Math.max(a.compact.length, b.compact.length);
    if (d <= Math.max(1, Math.floor(len / 10))) {
      const s = 0.95 * (1 - d / len);
      if (s > result.score) result = { ...result, score: s, method: 'compact' };
    }
  }
  return { ...result, score: round(Math.max(0, Math.min(1, result.score))) };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** "Al-Qa'ida/Islamic Army": two names in one, split on a slash between words (not "A/S"). */
export function nameAlternatives(name: string): string[] {
  const pieces = name.split(/\s*\/\s*/);
  return pieces.length > 1 && pieces.every((p) => (p.match(/\p{L}/gu) ?? []).length >= 3) ? [name, ...pieces] : [name];
}

function bestOf(query: AnalysedName, listed: string): NameComparison {
  let best: NameComparison | null = null;
  for (const alt of nameAlternatives(listed)) {
    const c = compareAnalysed(query, analyseName(alt));
    if (!best || c.score > best.score) best = c;
  }
  return best!;
}

export function compareNames(query: string, listed: string): NameComparison {
  let best: NameComparison | null = null;
  for (const q of nameAlternatives(query)) {
    const c = bestOf(analyseName(q), listed);
    if (!best || c.score > best.score) best = c;
  }
  return best!;
}

/** How well two names match, 0..1 (the query first). */
export function nameSimilarity(a: string, b: string): number {
  return compareNames(a, b).score;
}

// ---------------------------------------------------------------------------------
// A party on a list against a screened party: name plus secondary evidence

export interface ScreenQuery {
  name: string;
  country?: string | null;
  /** "1971", "1971-05" or "1971-05-03" */
  birthDate?: string | null;
  identifiers?: string[];
}

export interface ListedParty {
  names: { name: string; type: string }[];
  countries: string[];
  birthDates?: string[];
  identifiers?: { type: string; value: string; country?: string | null }[];
}

export interface MatchExplanation {
  name: {
    score: number;
    query: string;
    listed: string;
    method: string;
    aligned: AlignedPart[];
    extraQuery: string[];
    extraListed: string[];
    orderBreaks: number;
  };
  /** the kind of listed name matched and what it did to the score */
  alias: { type: string; adjustment: number };
  country: { query: string | null; listed: string[]; match: boolean | null; adjustment: number };
  birthDate: { query: string | null; listed: string[]; match: boolean | null; adjustment: number };
  identifiers: { matched: string[]; adjustment: number };
  score: number;
}

/** Weak or low-quality aliases are leads, not names: they lose this much. */
export const NAME_TYPE_ADJUSTMENT = new Map<string, number>([
  ['weak_alias', -0.1],
  ['former', -0.03],
]);
const COUNTRY_MISMATCH = -0.05;
const BIRTH_DATE_MISMATCH = -0.15;
const BIRTH_DATE_MATCH = 0.03;
const IDENTIFIER_MATCH = 0.3;

const normId = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Scores one listed party against a query: best of its names, then the secondary evidence. */
export function scoreParty(query: ScreenQuery, party: ListedParty, analysed?: AnalysedName): MatchExplanation | null {
  const q = analysed ?? analyseName(query.name);
  let best: { cmp: NameComparison; name: string; type: string; adj: number } | null = null;
  for (const n of party.names) {
    const cmp = bestOf(q, n.name);
    const adj = NAME_TYPE_ADJUSTMENT.get(n.type) ?? 0;
    if (!best || cmp.score + adj > best.cmp.score + best.adj) best = { cmp, name: n.name, type: n.type, adj };
  }
  if (!best) return null;
  const country = query.country ?? null;
  const countryMatch = country && party.countries.length ? party.countries.includes(country) : null;
  const listedDates = party.birthDates ?? [];
  const dob = query.birthDate ?? null;
  const dobMatch = dob && listedDates.length ? listedDates.some((d) => d.startsWith(dob) || dob.startsWith(d)) : null;
  const queryIds = new Set((query.identifiers ?? []).map(normId).filter(Boolean));
  const matchedIds = (party.identifiers ?? []).filter((i) => queryIds.has(normId(i.value))).map((i) => `${i.type} ${i.value}`);
  const countryAdj = countryMatch === false ? COUNTRY_MISMATCH : 0;
  const dobAdj = dobMatch === false ? BIRTH_DATE_MISMATCH : dobMatch ? BIRTH_DATE_MATCH : 0;
  const idAdj = matchedIds.length ? IDENTIFIER_MATCH : 0;
  const score = round(Math.max(0, Math.min(1, best.cmp.score + best.adj + countryAdj + dobAdj + idAdj)));
  return {
    name: {
      score: best.cmp.score,
      query: query.name,
      listed: best.name,
      method: best.cmp.method,
      aligned: best.cmp.aligned,
      extraQuery: best.cmp.extraQuery,
      extraListed: best.cmp.extraListed,
      orderBreaks: best.cmp.orderBreaks,
    },
    alias: { type: best.type, adjustment: best.adj },
    country: { query: country, listed: party.countries, match: countryMatch, adjustment: countryAdj },
    birthDate: { query: dob, listed: listedDates, match: dobMatch, adjustment: dobAdj },
    identifiers: { matched: matchedIds, adjustment: idAdj },
    score,
  };
}

/** Why a query cannot be screened as asked, if it cannot: said to the officer, never an empty success. */
export function screeningWarnings(name: string): string[] {
  const a = analyseName(name);
  const warnings: string[] = [];
  if (!a.parts.length) {
    warnings.push(`"${name}" has no letters or digits the matcher can read (scripts: ${a.scripts.join(', ') || 'none'}); it was not screened.`);
    return warnings;
  }
  const weak = a.scripts.filter((s) => WEAKLY_ROMANISED_SCRIPTS.has(s));
  if (weak.length) {
    warnings.push(
      `"${name}" is in ${weak.join(', ')} script: it was screened as "${a.parts.map((p) => p.text).join(' ')}", which finds list names written in that script or romanised the same way, but not the party's English or translated names. Screen its English name too.`,
    );
  }
  return warnings;
}
