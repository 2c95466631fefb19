/**
 * Strings a YAML 1.1 reader takes for something else. vela writes YAML 1.2,
 * where `yes`, `on`, `0777` or `1:30` are plain strings, but kubectl, Helm and
 * every Go program read YAML with go-yaml, which follows YAML 1.1: `on`
 * becomes `true`, `0777` the number 511, `1:30` the number 90 (base 60),
 * `2001-12-14` a timestamp, `1_000` the number 1000, and `<<` a merge key. Such
 * strings are written quoted, as keys and as values. The rule errs on the side
 * of quoting: a quoted string means the same to every reader.
 */

/** Booleans and nulls of YAML 1.1 (and go-yaml), in any letter case, and the 1.1 tags `<<` (merge) and `=` (value). */
const WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~', '', '<<', '=']);

const NUMBER_FORMS: readonly RegExp[] = [
  // Integers: binary, octal (0777 and 0o777), hexadecimal, decimal, all with `_` separators.
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-f_]+|[0-9][0-9_]*)$/i,
  // Sexagesimal integers and floats: 1:30, 190:20:30.5.
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  // Floats: 1.5, .5, 1., 1e3, 1.5e-3, with `_` separators.
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:e[-+]?[0-9]+)?$/i,
  // Infinity and not-a-number.
  /^[-+]?\.inf$/i,
  /^\.nan$/i,
];

/** A date, or a timestamp that starts with one (2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10 -5). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt\s])/;

/** Exponent forms, mantissa optional: the `yaml` package's YAML 1.1 reader takes even `E7` for a float. */
const EXPONENT = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?e[-+]?[0-9]+$/i;

/** The longest of WORDS and their first characters: other strings need no lower-case copy to be looked up. */
const LONGEST_WORD = Math.max(...[...WORDS].map((w) => w.length));
const WORD_START = /^(?:$|[ynotf~<=])/i;

export function isAmbiguousInYaml11(s: string): boolean {
  // Asked of every key and string value written, so the common case (a name, a word) is decided by its first character.
  if (s.length <= LONGEST_WORD && WORD_START.test(s) && WORDS.has(s.toLowerCase())) return true;
  const first = s.charCodeAt(0);
  // Every other form starts with a sign, a digit or a dot, except an exponent without mantissa (`E7`).
  if (!(first === 0x2b || first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39))) return (first === 0x45 || first === 0x65) && EXPONENT.test(s);
  return EXPONENT.test(s) || TIMESTAMP.test(s) || NUMBER_FORMS.some((re) => re.test(s));
}
