//! Near copies of paragraphs too short for shingles: a line of fewer words than the
//! shingle size is one shingle, its whole text, so the shingle search finds only its exact
//! copies. Headlines, captions, "Baca juga: …" lines and bylines that differ by a typo or a
//! trailing word are found here instead, by the normalised Levenshtein similarity of their
//! normalised texts.
//!
//! Never all pairs: short paragraphs are grouped by site, length band and a word they
//! share, and only pairs inside a group (or between a group and the same word's group in
//! the next length band) are compared. A word in more than [`MAX_GROUP`] short paragraphs
//! of a group proposes no pair, so the work stays near-linear in the number of short
//! paragraphs.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::near::NearPair;
use super::shingle::ShingleKind;
use super::{DedupConfig, Evidence, Kind, Pair, Paragraphs};
use crate::text::normalize::HASH_SEED;

/// Default of `--short-threshold`.
pub const DEFAULT_THRESHOLD: f64 = 0.9;
/// Lines of fewer words are never compared (a one- or two-word line differing by a
/// letter is another word: "Senin 07.00", "Foto: Antara").
pub const MIN_WORDS: usize = 3;
/// Normalised texts longer than this (a few words, one of them a long link) are not kept.
pub const MAX_BYTES: usize = 256;
/// A word shared by more short paragraphs than this in one group proposes no pair.
pub const MAX_GROUP: usize = 64;

/// Whether a paragraph of `words` words (as shingles count them) is too short for
/// shingles: with word shingles, fewer than the shingle size.
pub fn is_short(words: usize, config: &DedupConfig) -> bool {
    config.shingle == ShingleKind::Word && (1..config.shingle_size).contains(&words)
}

/// Whether the normalised text of a short paragraph is compared: at least [`MIN_WORDS`]
/// words between spaces ("asar 15.15" is two) and at most [`MAX_BYTES`].
pub fn is_compared(normalized: &str) -> bool {
    normalized.len() <= MAX_BYTES && normalized.split(' ').nth(MIN_WORDS - 1).is_some()
}

/// The similarity of two normalised short texts: their normalised Levenshtein similarity,
/// or 0 when they state different numbers (see [`different_numbers`]).
pub fn similarity(a: &str, b: &str) -> f64 {
    if different_numbers(a, b) {
        0.0
    } else {
        strsim::normalized_levenshtein(a, b)
    }
}

/// A short paragraph's normalised text, with what turns candidates away cheaply.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    text: &'a str,
    /// Characters in `text`.
    chars: u32,
    /// Its characters' counts, folded into 32 counters (saturated).
    counts: [u8; 32],
}

impl<'a> Line<'a> {
    /// The line of a normalised text.
    pub fn new(text: &'a str) -> Self {
        let mut counts = [0u8; 32];
        let mut chars = 0u32;
        for c in text.chars() {
            chars += 1;
            let n = &mut counts[c as usize % 32];
            *n = n.saturating_add(1);
        }
        Line {
            text,
            chars,
            counts,
        }
    }
}

/// [`similarity`] of two lines when it reaches `threshold`. Most candidates share a word
/// and little else: two lower bounds of the edit distance, the difference of the lengths
/// and half the difference of the character counts (a substitution changes it by at most
/// 2, an insertion or a deletion by 1; folding and saturating only lower it), turn them
/// away before the quadratic distance is computed.
pub fn similar(a: &Line, b: &Line, threshold: f64) -> Option<f64> {
    let longest = f64::from(a.chars.max(b.chars).max(1));
    let reaches = |distance: u32| 1.0 - f64::from(distance) / longest >= threshold;
    if !reaches(a.chars.abs_diff(b.chars)) {
        return None;
    }
    let difference: u32 = a
        .counts
        .iter()
        .zip(&b.counts)
        .map(|(x, y)| u32::from(x.abs_diff(*y)))
        .sum();
    if !reaches(difference.div_ceil(2)) {
        return None;
    }
    let score = similarity(a.text, b.text);
    (score >= threshold).then_some(score)
}

/// Whether the texts' runs of digits, in order, differ ("arsenal 2-1 chelsea" and
/// "arsenal 2-0 chelsea", "asar 15.15" and "asar 15.18", two prices, a year added): a
/// different fact, not a typo, even when one text only has a number more.
pub fn different_numbers(a: &str, b: &str) -> bool {
    let runs =
        |text| str::split(text, |c: char| !c.is_numeric()).filter(|run: &&str| !run.is_empty());
    !runs(a).eq(runs(b))
}

/// Length band of a text of `chars` characters: bands grow by the factor `ratio`, so that
/// two texts similar enough to pair are in the same band or in neighbouring ones.
fn band(chars: usize, ratio: f64) -> u32 {
    ((chars.max(1) as f64).ln() / ratio.ln()) as u32
}

/// Key of the group of short paragraphs of `site` in length band `band` with `word`.
fn group_key(site: u64, band: u32, word: &str) -> u64 {
    xxh3_64_with_seed(word.as_bytes(), HASH_SEED ^ site ^ (u64::from(band) << 48))
}

/// The groups a short paragraph of site `site` (its hash) with `line` is compared in,
/// each with whether it is at home there (its own length band) or visits from the band
/// below: one pair of groups per distinct word. Two lines are compared when they share a
/// group and one of them is at home in it.
pub fn groups(site: u64, line: &Line, threshold: f64) -> Vec<(u64, bool)> {
    // Bands grow by 1 / threshold: the shorter of two texts reaching it is at least
    // `threshold` times the longer, so one band apart at most.
    let ratio = (1.0 / threshold).max(1.05);
    let b = band(line.chars as usize, ratio);
    let mut words: Vec<&str> = line
        .text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.dedup();
    words
        .into_iter()
        .flat_map(|w| {
            [
                (group_key(site, b, w), true),
                (group_key(site, b + 1, w), false),
            ]
        })
        .collect()
}

/// Near pairs (kind `near`, scored by the similarity) among the short paragraphs of the
/// `representatives` (first copies of each text), whose similarity reaches `threshold`;
/// ordered by earlier, then later paragraph.
pub fn find(paragraphs: &Paragraphs, representatives: &[bool], threshold: f64) -> Vec<NearPair> {
    // The short paragraphs, in input order: (global index, line).
    let members: Vec<(usize, Line)> = (0..paragraphs.doc_count())
        .flat_map(|doc| {
            let start = paragraphs.of_doc(doc).start;
            paragraphs.prints[doc]
                .short_texts()
                .map(move |(p, text)| (start + p, text))
        })
        .filter(|&(g, _)| representatives[g])
        .map(|(g, text)| (g, Line::new(text)))
        .collect();
    if members.len() < 2 {
        return Vec::new();
    }
    // (group, whether the member is at home in the group or visits it from the band
    // below, member): sorted, each group lists its visitors, then its members at home.
    let mut entries: Vec<(u64, bool, u32)> = members
        .par_iter()
        .enumerate()
        .flat_map_iter(|(m, &(g, line))| {
            groups(paragraphs.site(g), &line, threshold)
                .into_iter()
                .map(move |(key, home)| (key, home, m as u32))
        })
        .collect();
    entries.par_sort_unstable();
    let groups: Vec<&[(u64, bool, u32)]> = entries
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1 && group[group.len() - 1].1)
        .collect();
    // Pairs sharing several words are found in each of their groups: scored there, kept
    // once below.
    let mut found: Vec<(u32, u32, f64)> = groups
        .into_par_iter()
        .flat_map_iter(|group| {
            let split = group.partition_point(|e| !e.1);
            let (visitors, homes) = group.split_at(split);
            let too_common = homes.len() > MAX_GROUP || visitors.len() > MAX_GROUP;
            let homes = if too_common { &[][..] } else { homes };
            let members = &members;
            homes.iter().enumerate().flat_map(move |(i, a)| {
                homes[i + 1..].iter().chain(visitors).filter_map(move |b| {
                    let (a, b) = (a.2.min(b.2), a.2.max(b.2));
                    let score = similar(&members[a as usize].1, &members[b as usize].1, threshold)?;
                    (a != b).then_some((a, b, score))
                })
            })
        })
        .collect();
    drop(entries);
    found.par_sort_unstable_by_key(|&(a, b, _)| (a, b));
    found.dedup_by_key(|&mut (a, b, _)| (a, b));
    found
        .into_iter()
        .map(|(a, b, score)| NearPair {
            pair: Pair {
                earlier: paragraphs.at(members[a as usize].0),
                later: paragraphs.at(members[b as usize].0),
                kind: Kind::Near,
                score,
                evidence: Evidence::None,
            },
            earlier_inside: true,
            later_inside: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::DocPrint;
    use crate::text::Lang;

    /// Fingerprints of documents given as paragraphs, with their sites.
    fn prints(docs: &[(u64, &[&str])], config: &DedupConfig) -> Vec<DocPrint> {
        docs.iter()
            .map(|&(site, paras)| {
                let text = paras.join("\n\n");
                let mut spans = Vec::new();
                let mut start = 0;
                for p in paras {
                    spans.push((start..start + p.len(), false));
                    start += p.len() + 2;
                }
                let mut print = DocPrint::new(&text, spans, Lang::Indonesian, config);
                print.site = site;
                print
            })
            .collect()
    }

    /// The pairs found, as (doc, para) of the earlier and later paragraph.
    fn pairs(docs: &[(u64, &[&str])], config: &DedupConfig) -> Vec<((u32, u32), (u32, u32))> {
        let prints = prints(docs, config);
        let paragraphs = Paragraphs::new(&prints);
        let all = vec![true; paragraphs.len()];
        find(&paragraphs, &all, config.short_threshold)
            .iter()
            .map(|p| {
                assert_eq!(p.pair.kind, Kind::Near);
                assert!(p.pair.score >= config.short_threshold && p.pair.score <= 1.0);
                (
                    (p.pair.earlier.doc, p.pair.earlier.para),
                    (p.pair.later.doc, p.pair.later.para),
                )
            })
            .collect()
    }

    #[test]
    fn only_lines_shorter_than_a_shingle_are_kept_and_compared() {
        let config = DedupConfig::default();
        assert!(is_short(2, &config) && is_short(4, &config) && !is_short(5, &config));
        assert!(!is_compared("asar 15.15") && is_compared("asar pukul 15.15"));
        let chars = DedupConfig {
            shingle: ShingleKind::Char,
            ..DedupConfig::default()
        };
        assert!(!is_short(3, &chars));
        let print = &prints(
            &[(
                0,
                &[
                    "Foto: Antara",
                    "ASAR 15.15",
                    "Jadwal Kereta  Api Hari",
                    "Harga beras di pasar naik tajam pekan ini.",
                ],
            )],
            &config,
        )[0];
        let short: Vec<(usize, &str)> = print.short_texts().collect();
        assert_eq!(short, [(2, "jadwal kereta api hari")]);
    }

    #[test]
    fn a_typo_pairs_across_documents_of_a_site() {
        let config = DedupConfig::default();
        let found = pairs(
            &[
                (
                    1,
                    &[
                        "Ledakan di Pasar Senen",
                        "Sidang ditunda hingga pekan depan.",
                    ],
                ),
                (1, &["Ledakan di Pasar Seneen"]),
                // Another site: never compared.
                (2, &["Ledakan di Pasar Senen"]),
            ],
            &config,
        );
        assert_eq!(found, [((0, 0), (1, 0))]);
        let score = similarity("ledakan di pasar senen", "ledakan di pasar seneen");
        assert!(score < 1.0 && score >= config.short_threshold);
    }

    #[test]
    fn different_numbers_are_different_facts() {
        assert!(different_numbers(
            "arsenal 2-1 chelsea",
            "arsenal 2-0 chelsea"
        ));
        assert!(different_numbers(
            "harga rp 12.500 per kg",
            "harga rp 13.500 per kg"
        ));
        assert!(different_numbers("asar 15.15", "asar 15.18"));
        assert!(different_numbers("edisi 12 maret", "edisi 12 maret 2025"));
        assert!(different_numbers("skor 2-1 kemarin", "skor 1-2 kemarin"));
        assert!(!different_numbers(
            "edisi 12 maret 2025",
            "edisi 12  maret, 2025"
        ));
        assert!(!different_numbers(
            "baca juga berita",
            "baca juga beritanya"
        ));
        assert_eq!(
            similarity("arsenal 2-1 chelsea", "arsenal 2-0 chelsea"),
            0.0
        );
        let config = DedupConfig::default();
        let found = pairs(
            &[
                (0, &["Arsenal 2-1 Chelsea"]),
                (0, &["Arsenal 2-0 Chelsea"]),
                (0, &["Kereta berangkat pukul 07.00"]),
                (0, &["Kereta berangkat pukul 08.00"]),
            ],
            &config,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn one_and_two_word_lines_are_not_compared() {
        let config = DedupConfig::default();
        let found = pairs(
            &[
                (0, &["Jakarta", "Foto Antara", "ASAR 15.15"]),
                (0, &["Jakartaa", "Foto Antaraa", "ASAR 15.15."]),
            ],
            &config,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    /// Lines just either side of a band edge still meet; lines sharing no word never do.
    #[test]
    fn neighbouring_bands_meet_and_a_word_must_be_shared() {
        let config = DedupConfig::default();
        let ratio = 1.0 / config.short_threshold;
        // Find a length at a band edge: n in one band, n + 1 in the next.
        let n = (10..200)
            .find(|&n| band(n, ratio) + 1 == band(n + 1, ratio))
            .unwrap();
        let a = format!("abc de {}", "x".repeat(n - 7));
        let b = format!("abc de {}", "x".repeat(n - 6));
        assert_eq!((a.len(), b.len()), (n, n + 1));
        let found = pairs(&[(0, &[a.as_str()]), (0, &[b.as_str()])], &config);
        assert_eq!(found, [((0, 0), (1, 0))]);
        assert!(similarity("abc def ghi", "abd deg ghj") < config.short_threshold);
    }

    /// A word shared by too many short lines of a group proposes no pair.
    #[test]
    fn a_common_word_proposes_nothing() {
        let config = DedupConfig::default();
        // "zzzz aa yyyy", "zzzz ba yyyy", …: each pair is 11 characters of 12 alike
        // (0.917), but shares only "zzzz" and "yyyy".
        let lines: Vec<String> = (0..=MAX_GROUP)
            .map(|k| {
                let letter = |i: usize| char::from(b'a' + (i % 26) as u8);
                format!("zzzz {}{} yyyy", letter(k), letter(k / 26))
            })
            .collect();
        let texts: Vec<[&str; 1]> = lines.iter().map(|l| [l.as_str()]).collect();
        let docs: Vec<(u64, &[&str])> = texts.iter().map(|t| (0, &t[..])).collect();
        assert_eq!(pairs(&docs[..3], &config).len(), 3);
        assert!(pairs(&docs, &config).is_empty());
    }

    /// The bounds that turn candidates away never turn away a pair reaching the threshold.
    #[test]
    fn bounds_turn_away_only_pairs_below_the_threshold() {
        const ALPHABET: &[char] = &['a', 'b', 'c', ' ', 'é', 'ß', '1', '.'];
        let mut next = crate::testing::xorshift(0x0540_77e5_70b0_u64);
        let mut text = || -> String {
            let state = next();
            (0..3 + state % 14)
                .map(|k| ALPHABET[((state >> (k * 3)) % ALPHABET.len() as u64) as usize])
                .collect()
        };
        let mut kept = 0;
        for _ in 0..20_000 {
            let (a, b) = (text(), text());
            for t in [0.5, 0.7, 0.9] {
                let score = similarity(&a, &b);
                let expected = (score >= t).then_some(score);
                let found = similar(&Line::new(&a), &Line::new(&b), t);
                assert_eq!(found, expected, "{a:?} {b:?} {t}");
                kept += usize::from(expected.is_some());
            }
        }
        assert!(kept > 100, "{kept}");
    }

    /// The same pairs, in the same order, whatever the number of threads.
    #[test]
    fn deterministic_across_thread_counts() {
        let config = DedupConfig::default();
        let lines: Vec<String> = (0..400)
            .map(|k| format!("berita hari ini nomor{}", char::from(b'a' + (k % 26) as u8)))
            .chain((0..200).map(|k| format!("gempa guncang kota{} malam", k % 7)))
            .collect();
        let texts: Vec<[&str; 1]> = lines.iter().map(|l| [l.as_str()]).collect();
        let docs: Vec<(u64, &[&str])> = texts
            .iter()
            .enumerate()
            .map(|(k, t)| ((k % 3) as u64, &t[..]))
            .collect();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| pairs(&docs, &config))
        };
        let one = run(1);
        assert!(!one.is_empty());
        assert_eq!(one, run(4));
    }
    #[test]
    fn a_short_line_past_the_first_paragraph_pairs_by_its_own_index() {
        let found = pairs(
            &[
                (
                    1,
                    &[
                        "Sidang ditunda hingga pekan depan ini.",
                        "Ledakan di Pasar Senen",
                    ],
                ),
                (
                    1,
                    &[
                        "Harga beras di pasar naik tajam.",
                        "Ledakan di Pasar Seneen",
                    ],
                ),
            ],
            &DedupConfig::default(),
        );
        assert_eq!(found, [((0, 1), (1, 1))]);
    }

    /// A word of `len` letters, different for each `n`.
    fn filler(n: usize, len: usize) -> String {
        const SYLLABLES: [&str; 8] = ["ka", "ri", "mo", "tu", "se", "la", "pe", "di"];
        let mut w = String::new();
        let mut n = n;
        while w.len() < len {
            w.push_str(SYLLABLES[n % 8]);
            n /= 8;
        }
        w.truncate(len);
        w
    }

    #[test]
    fn a_word_in_more_than_64_short_lines_of_a_length_pairs_nothing() {
        // A pair of lines of 24 characters sharing only the word "jadwal", with `homes`
        // other lines of their length band and `visitors` of the band below that have it.
        let found = |homes: usize, visitors: usize| {
            let mut lines = vec![
                "jadwal zzzzzzzq xxxxxxxq".to_owned(),
                "jadwal zzzzzzzw xxxxxxxw".to_owned(),
            ];
            lines.extend(
                (0..homes).map(|k| format!("jadwal {} {}", filler(k, 8), filler(k + 500, 8))),
            );
            lines.extend(
                (0..visitors)
                    .map(|k| format!("jadwal {} {}", filler(k + 1000, 7), filler(k + 1500, 7))),
            );
            let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
            pairs(&[(1, &texts)], &DedupConfig::default())
                .into_iter()
                .filter(|&(a, _)| a == (0, 0))
                .count()
        };
        assert_eq!(found(62, 0), 1);
        assert_eq!(found(63, 0), 0);
        assert_eq!(found(0, 64), 1);
        assert_eq!(found(0, 65), 0);
    }
}
