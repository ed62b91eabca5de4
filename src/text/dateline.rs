//! Datelines: the place and agency a news site opens its articles with
//! ("Liputan6.com, Jakarta - ", "JAKARTA, KOMPAS.com - ", "Jakarta (ANTARA) - "),
//! learned per site from the corpus rather than listed: a site whose articles mostly open
//! with a short capitalised phrase and a dash writes datelines, and the phrases it repeats
//! are recognised even where scraping lost the dash ("Liputan6.com, JakartaKita …").
//! A summary never opens with one.

use std::ops::Range;

use rustc_hash::FxHashMap;

/// A dateline has at most this many words before its dash.
const MAX_WORDS: usize = 4;
/// … and at most this many bytes.
const MAX_BYTES: usize = 64;
/// Share of a site's articles that must open with a dash-ended phrase for the site to be
/// taken as one that writes datelines.
const MIN_SHARE: f64 = 0.3;

/// The opening of an article: its first body paragraph (the title aside), cut to
/// [`HEAD_BYTES`], and the article's site. All that datelines are learned from, so a
/// streaming run keeps only this of each text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// Site of the article (see `Document::site`).
    pub site: Option<String>,
    /// 0-based index of the paragraph in the article.
    pub paragraph: u32,
    /// The start of the paragraph.
    pub head: String,
}

/// A dateline is looked for in this many bytes of the opening paragraph.
pub const HEAD_BYTES: usize = 2 * MAX_BYTES;

impl Opening {
    /// The opening of an article whose paragraphs are `paragraphs` (spans in `text`, and
    /// whether each is the title); `None` when it has no body paragraph.
    pub fn of(
        site: Option<&str>,
        text: &str,
        paragraphs: impl IntoIterator<Item = (Range<usize>, bool)>,
    ) -> Option<Opening> {
        let (paragraph, span) = paragraphs
            .into_iter()
            .enumerate()
            .find(|(_, (_, is_title))| !is_title)
            .map(|(p, (span, _))| (p, span))?;
        let body = &text[span];
        Some(Opening {
            site: site.map(str::to_owned),
            paragraph: paragraph as u32,
            head: body[..floor_char_boundary(body, HEAD_BYTES)].to_owned(),
        })
    }
}

/// Where a dateline is: the paragraph, and how many bytes it takes from the paragraph's
/// start (the dash and the spaces after it included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    /// 0-based index of the paragraph in its article.
    pub paragraph: u32,
    /// Bytes of the dateline from the start of the paragraph.
    pub len: u32,
}

/// The dateline of each article, learned from all of them: `min_docs` articles of a site,
/// and `MIN_SHARE` of them, must open with a dash-ended phrase ([`dash_phrase`]).
pub fn find(openings: &[Option<Opening>], min_docs: usize) -> Vec<Option<Dateline>> {
    let phrases: Vec<Option<(usize, usize)>> = openings
        .iter()
        .map(|o| o.as_ref().and_then(|o| dash_phrase(&o.head)))
        .collect();
    let mut sites: FxHashMap<Option<&str>, SiteOpenings> = FxHashMap::default();
    for (opening, phrase) in openings.iter().zip(&phrases) {
        let Some(o) = opening else { continue };
        let site = sites.entry(o.site.as_deref()).or_default();
        site.articles += 1;
        if let Some((len, _)) = *phrase {
            site.dashed += 1;
            *site.phrases.entry(&o.head[..len]).or_default() += 1;
        }
    }
    openings
        .iter()
        .zip(&phrases)
        .map(|(opening, phrase)| {
            let o = opening.as_ref()?;
            let site = &sites[&o.site.as_deref()];
            if site.dashed < min_docs || (site.dashed as f64) < MIN_SHARE * site.articles as f64 {
                return None;
            }
            let len = match *phrase {
                Some((_, end)) => end,
                None => {
                    let text = o.head.as_str();
                    let counts = &site.phrases;
                    let len = repeated_phrase(text, counts, min_docs)
                        .or_else(|| place_run_on(text, counts, min_docs))
                        .or_else(|| headless(text, counts, min_docs))?;
                    text.len() - text[len..].trim_start_matches(DASH_OR_SPACE).len()
                }
            };
            Some(Dateline {
                paragraph: o.paragraph,
                len: len as u32,
            })
        })
        .collect()
}

/// How one site's articles open.
#[derive(Default)]
struct SiteOpenings<'a> {
    articles: usize,
    /// Articles opening with a dash phrase.
    dashed: usize,
    /// How often each dash phrase opens an article.
    phrases: FxHashMap<&'a str, usize>,
}

/// Dashes and the spaces around them, cut with a dateline.
const DASH_OR_SPACE: [char; 5] = ['-', '–', '—', ' ', '\u{a0}'];

/// The length of the longest phrase of `counts` seen `min_docs` times that opens `text`
/// and is followed by a capital letter, a space or a dash: a dateline of the site whose
/// dash was lost or not spaced ("Liputan6.com, JakartaKita …", "TEMPO.CO,Jakarta-Ginjal").
/// A phrase that names the site too (a head and a comma: "Liputan6.com, Jakarta") may be
/// followed by a small letter: scraping dropped what stood between ("Liputan6.com,
/// Jakartasensual …"), and no word goes on from a site's name and place.
fn repeated_phrase(text: &str, counts: &FxHashMap<&str, usize>, min_docs: usize) -> Option<usize> {
    counts
        .iter()
        .filter(|(p, &count)| {
            count >= min_docs
                && text
                    .strip_prefix(**p)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| {
                        c.is_uppercase()
                            || DASH_OR_SPACE.contains(&c)
                            || (c.is_lowercase() && p.contains(','))
                    })
        })
        .map(|(p, _)| p.len())
        .max()
}

/// A dateline of the site whose head was lost in scraping, leaving the comma and the place
/// (", Jakarta - Siapa pun …"): the length of the longest tail from its comma of a phrase
/// of `counts` seen `min_docs` times that opens `text`, then a dash or a space.
fn headless(text: &str, counts: &FxHashMap<&str, usize>, min_docs: usize) -> Option<usize> {
    counts
        .iter()
        .filter(|(_, &count)| count >= min_docs)
        .filter_map(|(p, _)| p.find(',').map(|comma| &p[comma..]))
        .filter(|tail| {
            text.strip_prefix(*tail)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| DASH_OR_SPACE.contains(&c))
        })
        .map(str::len)
        .max()
}

/// A dateline of a place the site seldom writes from, run on into the first word: the
/// head of the site's datelines up to their comma ("Liputan6.com,"), seen `min_docs`
/// times, then words of letters up to where a small letter meets a capital or a dash
/// ("Liputan6.com, Gunung SitoliGubernur …", "TEMPO.CO,Bandung-Gunung …"); the length up to
/// there.
fn place_run_on(text: &str, counts: &FxHashMap<&str, usize>, min_docs: usize) -> Option<usize> {
    let mut heads: FxHashMap<&str, usize> = FxHashMap::default();
    for (phrase, &count) in counts {
        if let Some(comma) = phrase.rfind(',') {
            *heads.entry(&phrase[..=comma]).or_default() += count;
        }
    }
    let head = heads
        .iter()
        .filter(|(h, &count)| count >= min_docs && text.starts_with(**h))
        .map(|(h, _)| h.len())
        .max()?;
    let place = &text[head..floor_char_boundary(text, head + MAX_BYTES / 2)];
    let mut previous = ' ';
    for (i, c) in place.char_indices() {
        let dash = matches!(c, '-' | '–' | '—');
        if (c.is_uppercase() && previous.is_lowercase()) || (dash && previous.is_alphabetic()) {
            return Some(head + i);
        }
        if !(c.is_alphabetic() || c == ' ') {
            return None;
        }
        previous = c;
    }
    None
}

/// A dateline-shaped opening of `text`: a phrase of at most `MAX_WORDS` words that
/// starts with a capital letter and ends at a dash (`-`, `--`, `–`, `—`) with a space on
/// one side of it, or at any dash after a word in capitals ("JAKARTA-…"). Returns the
/// phrase's length (trailing spaces cut) and where the text after the dash begins.
pub fn dash_phrase(text: &str) -> Option<(usize, usize)> {
    if !text.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let head = &text[..floor_char_boundary(text, MAX_BYTES)];
    let dash = head.find(['-', '–', '—'])?;
    let phrase = head[..dash].trim_end();
    if phrase.is_empty()
        || phrase.split_whitespace().count() > MAX_WORDS
        || phrase.contains(['"', '“', '”', '\'', '‘', '’', ':', ';'])
        || phrase.contains(". ")
    {
        return None;
    }
    let spaced_before = phrase.len() < dash;
    let after = &text[dash..];
    let tail = after.trim_start_matches(['-', '–', '—', ' ', '\u{a0}']);
    let spaced_after = after[after
        .find(|c: char| !matches!(c, '-' | '–' | '—'))
        .unwrap_or(0)..]
        .starts_with([' ', '\u{a0}']);
    let capitals = phrase
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| w.chars().count() >= 2 && !w.chars().any(char::is_lowercase));
    if !(spaced_before || spaced_after || capitals) || tail.is_empty() {
        return None;
    }
    Some((phrase.len(), text.len() - tail.len()))
}

/// The largest char boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_phrases_of_news_sites() {
        for (text, phrase, rest) in [
            (
                "Liputan6.com, Jakarta -Harga naik.",
                "Liputan6.com, Jakarta",
                "Harga naik.",
            ),
            (
                "JAKARTA, KOMPAS.com - Harga naik.",
                "JAKARTA, KOMPAS.com",
                "Harga naik.",
            ),
            (
                "Jakarta (ANTARA) - Harga naik.",
                "Jakarta (ANTARA)",
                "Harga naik.",
            ),
            (
                "Jakarta, CNN Indonesia - - PT X naik.",
                "Jakarta, CNN Indonesia",
                "PT X naik.",
            ),
            (
                "REPUBLIKA.CO.ID, BATANG -- Truk mogok.",
                "REPUBLIKA.CO.ID, BATANG",
                "Truk mogok.",
            ),
            (
                "TEMPO.CO,Jakarta- Ginjal adalah organ.",
                "TEMPO.CO,Jakarta",
                "Ginjal adalah organ.",
            ),
            (
                "JAKARTA-Berenang itu sehat.",
                "JAKARTA",
                "Berenang itu sehat.",
            ),
            (
                "BANDUNG–POBSI resmi digelar.",
                "BANDUNG",
                "POBSI resmi digelar.",
            ),
        ] {
            let (len, end) = dash_phrase(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((&text[..len], &text[end..]), (phrase, rest));
        }
    }

    #[test]
    fn prose_is_no_dash_phrase() {
        for text in [
            "Harga beras naik tajam pekan ini - kata pedagang di pasar induk kota.",
            "Harga beras naik pekan ini - kata pedagang.",
            "Al-Qur'an dibaca setiap hari.",
            "Kota-kota besar macet.",
            "\"Kami siap\" - kata dia.",
            "ini tidak diawali huruf besar - sama sekali.",
            "Jakarta -",
        ] {
            assert_eq!(dash_phrase(text), None, "{text}");
        }
    }

    #[test]
    fn dash_phrases_have_at_most_four_words_and_no_quote_or_colon() {
        assert!(dash_phrase("Kota Padang Sumatera Barat - Harga naik.").is_some());
        assert!(dash_phrase("Kota Padang Sumatera Barat Daya - Harga naik.").is_none());
        assert!(dash_phrase("Foto: Antara - Harga naik.").is_none());
        assert!(dash_phrase("Kata Menteri \"Tegas\" - Harga naik.").is_none());
        assert!(dash_phrase("Sore ini. Lalu - Harga naik.").is_none());
    }

    #[test]
    fn the_head_of_an_opening_is_cut_at_a_character_boundary() {
        let body = format!("{}é{}", "a".repeat(HEAD_BYTES - 1), "b".repeat(50));
        let text = format!("Judul\n\n{body}");
        let spans = [(0..5, true), (7..text.len(), false)];
        let o = Opening::of(Some("s"), &text, spans).unwrap();
        assert_eq!(o.paragraph, 1);
        assert_eq!(o.head, "a".repeat(HEAD_BYTES - 1));
        let short = Opening::of(None, "Abc - def", [(0..9, false)]).unwrap();
        assert_eq!((short.head.as_str(), short.site), ("Abc - def", None));
        assert_eq!(Opening::of(None, "Judul", [(0..5, true)]), None);
        assert_eq!(HEAD_BYTES, 128);
    }

    #[test]
    fn a_site_writes_datelines_from_min_docs_and_thirty_percent_of_its_articles() {
        let site = |dashed: usize, plain: usize| -> Vec<Option<Opening>> {
            (0..dashed)
                .map(|i| opening("a", &format!("Kabar.id, Kota{i} - Harga naik.")))
                .chain((0..plain).map(|i| opening("a", &format!("Harga nomor {i} naik."))))
                .collect()
        };
        let found = |openings: &[Option<Opening>]| find(openings, 3).iter().flatten().count();
        assert_eq!(found(&site(3, 7)), 3); // 3 of 10: exactly 30%
        assert_eq!(found(&site(3, 8)), 0); // 3 of 11: under 30%
        assert_eq!(found(&site(2, 0)), 0); // under min_docs
        assert_eq!(found(&site(4, 9)), 4);
    }

    #[test]
    fn a_place_run_on_needs_a_head_seen_min_docs_times_and_a_short_place() {
        let mut openings = vec![
            opening("a", "Kabar.id, Jakarta - Harga beras naik."),
            opening("a", "Kabar.id, Bandung - Harga gula naik."),
            opening("a", "Berita.id, Medan - Harga cabai naik."),
            opening("a", "Berita.id, Medan - Harga garam naik."),
            opening("a", "Kabar.id, Surabaya - Harga kopi naik."),
            opening("a", "Berita.id, SiantarWarga berkumpul."),
            opening("a", "Kabar.id, SiantarWarga berkumpul."),
            opening(
                "a",
                "Kabar.id, KotayangsangatpanjangsekalinamanyajugaWarga berkumpul.",
            ),
        ];
        let cut = |openings: &[Option<Opening>]| -> Vec<Option<u32>> {
            find(openings, 3).iter().map(|d| d.map(|d| d.len)).collect()
        };
        let found = cut(&openings);
        // "Berita.id," heads two datelines only; "Kabar.id," three.
        assert_eq!(found[5], None);
        assert_eq!(found[6], Some("Kabar.id, Siantar".len() as u32));
        // A place runs at most 32 bytes.
        assert_eq!(found[7], None);
        openings.push(opening("a", "Berita.id, Medan - Harga teh naik."));
        assert_eq!(cut(&openings)[5], Some("Berita.id, Siantar".len() as u32));
    }

    fn opening(site: &str, text: &str) -> Option<Opening> {
        let title = "Judul\n\n";
        let spans = [(0..5, true), (title.len()..title.len() + text.len(), false)];
        Opening::of(Some(site), &format!("{title}{text}"), spans)
    }

    #[test]
    fn datelines_are_learned_per_site_and_found_without_their_dash() {
        let openings = vec![
            opening("a", "Kabar.id, Jakarta - Harga beras naik."),
            opening("a", "Kabar.id, Jakarta - Harga gula naik."),
            opening("a", "Kabar.id, Bandung - Harga cabai naik."),
            opening("a", "Kabar.id, Jakarta - Harga garam naik."),
            opening("a", "Kabar.id, JakartaPresiden berpidato."),
            opening("a", "Kabar.id, Jakarta Presiden berpidato."),
            opening("a", "Kabar.id, Jakarta-Presiden berpidato."),
            opening("a", "Kabar.id, Gunung SitoliGubernur berpidato."),
            opening("a", "Kabar.id, Gunung Sitoli adalah kota."),
            opening("a", "Kabar.id, Bekasi-Warga berpidato."),
            // What stood after the dateline was lost; so was the site's name.
            opening("a", "Kabar.id, Jakartasensual dan realita."),
            opening("a", ", Jakarta - Siapa pun bisa."),
            opening("a", ", Jakartaku indah."),
            // A small letter goes on from a place alone: a word, not a lost dash.
            opening("c", "KOTA - Harga beras naik."),
            opening("c", "KOTA - Harga gula naik."),
            opening("c", "KOTA - Harga cabai naik."),
            opening("c", "KOTAnya indah sekali."),
            // A site whose articles seldom open with a dash phrase writes no datelines.
            opening("b", "Pagi ini - katanya - hujan."),
            opening("b", "Harga beras naik."),
            opening("b", "Harga gula naik."),
            opening("b", "Harga cabai naik."),
            None,
        ];
        let found = find(&openings, 3);
        let cut: Vec<Option<&str>> = openings
            .iter()
            .zip(&found)
            .map(|(o, d)| {
                let d = d.as_ref()?;
                assert_eq!(d.paragraph, 1);
                Some(&o.as_ref()?.head[..d.len as usize])
            })
            .collect();
        assert_eq!(
            cut,
            [
                Some("Kabar.id, Jakarta - "),
                Some("Kabar.id, Jakarta - "),
                Some("Kabar.id, Bandung - "),
                Some("Kabar.id, Jakarta - "),
                Some("Kabar.id, Jakarta"),
                Some("Kabar.id, Jakarta "),
                Some("Kabar.id, Jakarta-"),
                Some("Kabar.id, Gunung Sitoli"),
                None,
                Some("Kabar.id, Bekasi-"),
                Some("Kabar.id, Jakarta"),
                Some(", Jakarta - "),
                None,
                Some("KOTA - "),
                Some("KOTA - "),
                Some("KOTA - "),
                None,
                None,
                None,
                None,
                None,
                None
            ]
        );
    }
}
