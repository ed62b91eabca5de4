//! A fingerprint shard: what `dedupsum fingerprint` writes of a part of a corpus, and all
//! that `decide` needs of it.
//!
//! Two tables in one directory. [`DOCUMENTS`]: one row per document in input order — its
//! position (`doc`), its id as read, its site, a hash of its text (so that `apply` notices inputs that changed)
//! and its opening (datelines are learned from the openings). [`FINGERPRINTS`]: one row
//! per paragraph — the document's position in the shard and the paragraph's, the exact
//! key, the length, the flags boilerplate and restated detection need, the hash of the
//! first two words, the shingle hashes, the content terms, the number slots (see
//! [`crate::text::slots`]), the normalised text of a paragraph too short for shingles,
//! and for a paragraph every sentence of which the article said before, the paragraphs
//! that said them. The settings that shaped the
//! fingerprints (shingles, searches, language) are in the metadata of both. And, unless
//! cleaning found no language (`--lang auto` with `--skip restated`), the document
//! frequencies of the summaries' terms ([`super::frequencies`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Int32Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, Int32Array, Int64Array, ListArray, RecordBatch, StringArray};
use parquet::file::metadata::KeyValue;
use serde::{Deserialize, Serialize};

use super::{
    bad, batch, column, index, signed, signed32, unsigned, write_table, Table, BATCH_ROWS,
};
use crate::dedup::print::ParaPrint;
use crate::dedup::{DedupConfig, DocPrint, Searches, ShingleKind};
use crate::error::{Error, Result};
use crate::output::atomic::Staged;
use crate::output::OutputDir;
use crate::summarize::DocumentFrequencies;
use crate::text::dateline::Opening;
use crate::LangChoice;

/// The documents of a shard.
pub const DOCUMENTS: &str = "documents.parquet";
/// The paragraphs' fingerprints.
pub const FINGERPRINTS: &str = "fingerprints.parquet";
/// What the tables say they are (see [`super::Table::read`]).
const SHARD_DOCUMENTS: &str = "shard documents";
const SHARD_FINGERPRINTS: &str = "shard fingerprints";
const SHARD_FREQUENCIES: &str = "shard frequencies";
/// The metadata key of the [`Settings`].
const SETTINGS_KEY: &str = "dedupsum.settings";

/// What shaped the fingerprints: every shard of one decision must have been made alike,
/// and the decision searches what they were made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `word` or `char` shingles.
    pub shingle: String,
    /// n of the shingles.
    pub shingle_size: usize,
    /// The searches the fingerprints serve besides exact copies.
    pub near: bool,
    /// See [`Settings::near`].
    pub boilerplate: bool,
    /// See [`Settings::near`].
    pub restated: bool,
    /// `--lang`: `auto` or a language code.
    pub lang: String,
}

impl Settings {
    /// The settings of fingerprints made with `dedup` and `lang`.
    pub fn new(dedup: &DedupConfig, lang: LangChoice) -> Settings {
        Settings {
            shingle: match dedup.shingle {
                ShingleKind::Word => "word",
                ShingleKind::Char => "char",
            }
            .into(),
            shingle_size: dedup.shingle_size,
            near: dedup.searches.near,
            boilerplate: dedup.searches.boilerplate,
            restated: dedup.searches.restated,
            lang: match lang {
                LangChoice::Auto => "auto".into(),
                LangChoice::Fixed(lang) => lang.code().into(),
            },
        }
    }

    /// Sets in `dedup` what the fingerprints were made with: the shingles and the
    /// searches.
    pub fn apply_to(&self, dedup: &mut DedupConfig) {
        dedup.shingle = if self.shingle == "char" {
            ShingleKind::Char
        } else {
            ShingleKind::Word
        };
        dedup.shingle_size = self.shingle_size;
        dedup.searches = Searches {
            near: self.near,
            boilerplate: self.boilerplate,
            restated: self.restated,
        };
    }
}

/// A document of a shard, less its paragraphs (in [`Shard::prints`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ShardDoc {
    /// The id as read (a repeated id is renamed when the shards are put together).
    pub id: String,
    /// The site it comes from, if the input names one.
    pub site: Option<String>,
    /// [`crate::text::normalize::stable_hash`] of its text.
    pub text_hash: u64,
    /// Its opening, which datelines are learned from.
    pub opening: Option<Opening>,
}

/// The fingerprints of a part of a corpus, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Shard {
    /// What shaped them.
    pub settings: Settings,
    /// The documents.
    pub docs: Vec<ShardDoc>,
    /// Their fingerprints, parallel to `docs`.
    pub prints: Vec<DocPrint>,
    /// How many of them have each term of the summaries, when counted.
    pub frequencies: Option<DocumentFrequencies>,
}

impl Shard {
    /// Writes the shard into `dir`: its tables appear whole, or none.
    pub fn write(&self, dir: &OutputDir) -> Result<()> {
        let settings = serde_json::to_string(&self.settings).map_err(|e| Error::Output {
            path: dir.path().to_path_buf(),
            message: e.to_string(),
        })?;
        let metadata = || vec![KeyValue::new(SETTINGS_KEY.into(), settings.clone())];
        let mut staged = Staged::default();
        let path = dir.path().join(DOCUMENTS);
        let batch = self.documents_batch();
        staged.write(&path, |w| {
            write_table(
                w,
                &path,
                batch.schema(),
                SHARD_DOCUMENTS,
                metadata(),
                [Ok(batch)],
            )
        })?;
        let path = dir.path().join(FINGERPRINTS);
        let mut batches = self.fingerprint_batches();
        let first = batches.next().unwrap_or_else(|| Rows::default().finish());
        staged.write(&path, |w| {
            write_table(
                w,
                &path,
                first.schema(),
                SHARD_FINGERPRINTS,
                metadata(),
                std::iter::once(first).chain(batches).map(Ok),
            )
        })?;
        if let Some(frequencies) = &self.frequencies {
            super::frequencies::write(
                &mut staged,
                dir.path(),
                SHARD_FREQUENCIES,
                metadata(),
                frequencies,
            )?;
        }
        staged.commit()
    }

    /// The documents table.
    fn documents_batch(&self) -> RecordBatch {
        let mut position = Int64Builder::new();
        let mut id = StringBuilder::new();
        let mut site = StringBuilder::new();
        let mut text_hash = Int64Builder::new();
        let mut paragraphs = Int64Builder::new();
        let mut opening_paragraph = Int64Builder::new();
        let mut opening_head = StringBuilder::new();
        for (d, (doc, print)) in self.docs.iter().zip(&self.prints).enumerate() {
            position.append_value(d as i64);
            id.append_value(&doc.id);
            site.append_option(doc.site.as_deref());
            text_hash.append_value(signed(doc.text_hash));
            paragraphs.append_value(print.paragraphs.len() as i64);
            opening_paragraph.append_option(doc.opening.as_ref().map(|o| i64::from(o.paragraph)));
            opening_head.append_option(doc.opening.as_ref().map(|o| o.head.as_str()));
        }
        batch(vec![
            ("doc", Arc::new(position.finish())),
            ("id", Arc::new(id.finish())),
            ("site", Arc::new(site.finish())),
            ("text_hash", Arc::new(text_hash.finish())),
            ("paragraphs", Arc::new(paragraphs.finish())),
            ("opening_paragraph", Arc::new(opening_paragraph.finish())),
            ("opening_head", Arc::new(opening_head.finish())),
        ])
    }

    /// The fingerprints table, in batches of the paragraphs of whole documents, at least
    /// [`BATCH_ROWS`] of them but for the last batch; each made when it is wanted.
    fn fingerprint_batches(&self) -> impl Iterator<Item = RecordBatch> + '_ {
        let mut starts = vec![0];
        let mut rows = 0;
        for (d, print) in self.prints.iter().enumerate() {
            rows += print.paragraphs.len();
            if rows >= BATCH_ROWS {
                starts.push(d + 1);
                rows = 0;
            }
        }
        if *starts.last().unwrap_or(&0) < self.prints.len() {
            starts.push(self.prints.len());
        }
        let ranges: Vec<(usize, usize)> = starts.windows(2).map(|w| (w[0], w[1])).collect();
        ranges
            .into_iter()
            .map(|(start, end)| self.fingerprint_rows(start, end))
    }

    /// The fingerprint rows of documents `start..end`.
    fn fingerprint_rows(&self, start: usize, end: usize) -> RecordBatch {
        let mut rows = Rows::default();
        for (d, print) in self.prints[start..end].iter().enumerate() {
            let d = start + d;
            let short: Vec<(usize, &str)> = print.short_texts().collect();
            let mut short = short.into_iter().peekable();
            for (p, para) in print.paragraphs.iter().enumerate() {
                rows.doc.append_value(d as i64);
                rows.paragraph.append_value(p as i64);
                rows.key.append_value(signed(para.key));
                rows.len.append_value(i64::from(para.len));
                rows.flags.append_value(i32::from(para.flag_bits()));
                rows.opener.append_value(signed32(para.opener));
                rows.shingles
                    .append_value(print.shingles(p).iter().map(|&h| Some(signed32(h))));
                rows.terms
                    .append_value(print.terms(p).iter().map(|&t| Some(signed32(t))));
                rows.slots
                    .append_value(print.slots(p).iter().map(|&s| Some(signed(s))));
                let line = short.next_if(|&(q, _)| q == p).map(|(_, line)| line);
                rows.short_text.append_option(line);
                match print.sayers(p) {
                    Some(sayers) => {
                        for sentence in sayers.iter() {
                            rows.said
                                .values()
                                .append_value(sentence.iter().map(|&q| Some(signed32(q))));
                        }
                        rows.said.append(true);
                    }
                    None => rows.said.append_null(),
                }
            }
        }
        rows.finish()
    }

    /// Reads the shard in `dir`.
    pub fn read(dir: &Path) -> Result<Shard> {
        if !dir.is_dir() {
            return Err(Error::Missing {
                path: dir.to_path_buf(),
            });
        }
        let path = dir.join(DOCUMENTS);
        let mut documents = Table::read(&path, SHARD_DOCUMENTS)?;
        let settings = settings_of(&documents, &path)?;
        let (docs, lengths) = read_documents(&mut documents, &path)?;
        let path = dir.join(FINGERPRINTS);
        let fingerprints = Table::read(&path, SHARD_FINGERPRINTS)?;
        if settings_of(&fingerprints, &path)? != settings {
            return Err(bad(
                &path,
                format!("made with other settings than {DOCUMENTS}"),
            ));
        }
        let sites: Vec<Option<&str>> = docs.iter().map(|d| d.site.as_deref()).collect();
        let prints = read_prints(fingerprints, &path, &lengths, &sites)?;
        let frequencies = super::frequencies::read(dir, SHARD_FREQUENCIES)?;
        Ok(Shard {
            settings,
            docs,
            prints,
            frequencies,
        })
    }

    /// Appends `next`, the shard of the documents that follow, refusing one made with
    /// other settings.
    pub fn append(&mut self, next: Shard, path: &Path) -> Result<()> {
        if next.settings != self.settings {
            return Err(bad(
                path,
                format!(
                    "fingerprinted with other settings ({}) than the shards before it ({}); \
                     fingerprint every part with the same flags",
                    describe(&next.settings),
                    describe(&self.settings)
                ),
            ));
        }
        self.docs.extend(next.docs);
        self.prints.extend(next.prints);
        // Counted over the whole only when counted over every part.
        self.frequencies = match (self.frequencies.take(), next.frequencies) {
            (Some(mut all), Some(next)) => {
                all.merge(&next);
                Some(all)
            }
            _ => None,
        };
        Ok(())
    }
}

/// The shards of an index (`--against`): each of `paths` a shard, or a directory of
/// shards (its subdirectories holding one, in the order of their names), put together in
/// that order.
pub fn read_index(paths: &[PathBuf]) -> Result<Option<Shard>> {
    let mut all: Option<Shard> = None;
    for path in paths {
        let shards = if path.join(FINGERPRINTS).exists() {
            vec![path.clone()]
        } else {
            let entries = std::fs::read_dir(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::Missing { path: path.clone() },
                _ => Error::io(path, e),
            })?;
            let mut shards = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(path, e))?.path();
                if entry.join(FINGERPRINTS).exists() {
                    shards.push(entry);
                }
            }
            if shards.is_empty() {
                return Err(bad(
                    path,
                    "neither a shard of fingerprints nor a directory of shards (see `dedupsum fingerprint`)",
                ));
            }
            shards.sort();
            shards
        };
        for shard in shards {
            let next = Shard::read(&shard)?;
            match &mut all {
                None => all = Some(next),
                Some(all) => all.append(next, &shard)?,
            }
        }
    }
    Ok(all)
}

/// Settings as a reader of an error message knows them: the flags.
pub fn describe(s: &Settings) -> String {
    let skipped: Vec<&str> = [
        (!s.near, "near"),
        (!s.boilerplate, "boilerplate"),
        (!s.restated, "restated"),
    ]
    .into_iter()
    .filter_map(|(off, name)| off.then_some(name))
    .collect();
    let mut text = format!(
        "--shingle {} --shingle-size {} --lang {}",
        s.shingle, s.shingle_size, s.lang
    );
    if !skipped.is_empty() {
        text.push_str(&format!(" --skip {}", skipped.join(",")));
    }
    text
}

/// The fingerprints table's columns being built.
struct Rows {
    doc: Int64Builder,
    paragraph: Int64Builder,
    key: Int64Builder,
    len: Int64Builder,
    flags: Int32Builder,
    opener: Int32Builder,
    shingles: ListBuilder<Int32Builder>,
    terms: ListBuilder<Int32Builder>,
    slots: ListBuilder<Int64Builder>,
    short_text: StringBuilder,
    said: ListBuilder<ListBuilder<Int32Builder>>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            doc: Int64Builder::new(),
            paragraph: Int64Builder::new(),
            key: Int64Builder::new(),
            len: Int64Builder::new(),
            flags: Int32Builder::new(),
            opener: Int32Builder::new(),
            shingles: ListBuilder::new(Int32Builder::new()),
            terms: ListBuilder::new(Int32Builder::new()),
            slots: ListBuilder::new(Int64Builder::new()),
            short_text: StringBuilder::new(),
            said: ListBuilder::new(ListBuilder::new(Int32Builder::new())),
        }
    }
}

impl Rows {
    fn finish(mut self) -> RecordBatch {
        batch(vec![
            ("doc", Arc::new(self.doc.finish())),
            ("paragraph", Arc::new(self.paragraph.finish())),
            ("key", Arc::new(self.key.finish())),
            ("len", Arc::new(self.len.finish())),
            ("flags", Arc::new(self.flags.finish())),
            ("opener", Arc::new(self.opener.finish())),
            ("shingles", Arc::new(self.shingles.finish())),
            ("terms", Arc::new(self.terms.finish())),
            ("slots", Arc::new(self.slots.finish())),
            ("short_text", Arc::new(self.short_text.finish())),
            ("said", Arc::new(self.said.finish())),
        ])
    }
}

/// The settings in `table`'s metadata.
fn settings_of(table: &Table, path: &Path) -> Result<Settings> {
    let text = table
        .value(SETTINGS_KEY)
        .ok_or_else(|| bad(path, "no fingerprint settings in its metadata"))?;
    serde_json::from_str(text).map_err(|e| bad(path, format!("unreadable settings: {e}")))
}

/// The documents, and the number of paragraphs of each.
fn read_documents(table: &mut Table, path: &Path) -> Result<(Vec<ShardDoc>, Vec<u32>)> {
    let mut docs = Vec::new();
    let mut lengths = Vec::new();
    while let Some(batch) = table.next_batch()? {
        let batch = &batch;
        let position = column::<Int64Array>(batch, "doc", path)?;
        let id = column::<StringArray>(batch, "id", path)?;
        let site = column::<StringArray>(batch, "site", path)?;
        let text_hash = column::<Int64Array>(batch, "text_hash", path)?;
        let paragraphs = column::<Int64Array>(batch, "paragraphs", path)?;
        let opening_paragraph = column::<Int64Array>(batch, "opening_paragraph", path)?;
        let opening_head = column::<StringArray>(batch, "opening_head", path)?;
        for r in 0..batch.num_rows() {
            if position.value(r) != docs.len() as i64 {
                return Err(bad(
                    path,
                    format!("document {} out of order", position.value(r)),
                ));
            }
            let site = (!site.is_null(r)).then(|| site.value(r).to_string());
            let n = index(paragraphs.value(r), path, "paragraph count")?;
            let opening = if opening_paragraph.is_null(r) || opening_head.is_null(r) {
                None
            } else {
                let paragraph = index(opening_paragraph.value(r), path, "opening paragraph")?;
                if paragraph >= n {
                    return Err(bad(
                        path,
                        format!(
                            "document {}: opens in paragraph {paragraph} of {n}",
                            docs.len()
                        ),
                    ));
                }
                Some(Opening {
                    site: site.clone(),
                    paragraph,
                    head: opening_head.value(r).to_string(),
                })
            };
            docs.push(ShardDoc {
                id: id.value(r).to_string(),
                site,
                text_hash: unsigned(text_hash.value(r)),
                opening,
            });
            lengths.push(n);
        }
    }
    Ok((docs, lengths))
}

/// The fingerprints of documents of `lengths` paragraphs each, from `sites`.
fn read_prints(
    mut table: Table,
    path: &Path,
    lengths: &[u32],
    sites: &[Option<&str>],
) -> Result<Vec<DocPrint>> {
    let mut prints: Vec<DocPrint> = sites
        .iter()
        .map(|site| {
            let mut print = DocPrint::default();
            print.site = site.map_or(0, crate::dedup::print::site_hash);
            print
        })
        .collect();
    let mut next = (0usize, 0u32);
    while let Some(batch) = table.next_batch()? {
        let batch = &batch;
        let doc = column::<Int64Array>(batch, "doc", path)?;
        let paragraph = column::<Int64Array>(batch, "paragraph", path)?;
        let key = column::<Int64Array>(batch, "key", path)?;
        let len = column::<Int64Array>(batch, "len", path)?;
        let flags = column::<Int32Array>(batch, "flags", path)?;
        let opener = column::<Int32Array>(batch, "opener", path)?;
        let shingles = column::<ListArray>(batch, "shingles", path)?;
        let terms = column::<ListArray>(batch, "terms", path)?;
        let slots = column::<ListArray>(batch, "slots", path)?;
        let short_text = column::<StringArray>(batch, "short_text", path)?;
        let said = column::<ListArray>(batch, "said", path)?;
        for r in 0..batch.num_rows() {
            let at = (
                index(doc.value(r), path, "document")? as usize,
                index(paragraph.value(r), path, "paragraph")?,
            );
            // Rows come in order, document by document, every paragraph once.
            while next.0 < lengths.len() && next.1 == lengths[next.0] {
                next = (next.0 + 1, 0);
            }
            if next.0 == lengths.len() {
                return Err(bad(
                    path,
                    format!(
                        "has more paragraphs than the {} documents of {DOCUMENTS} hold",
                        lengths.len()
                    ),
                ));
            }
            if at != next {
                return Err(bad(
                    path,
                    format!(
                        "row {} is paragraph {} of document {}, expected paragraph {} of document {}",
                        r, at.1, at.0, next.1, next.0
                    ),
                ));
            }
            let para = ParaPrint::stored(
                unsigned(key.value(r)),
                index(len.value(r), path, "length")?,
                u16::try_from(flags.value(r)).map_err(|_| bad(path, "flags out of range"))?,
                opener.value(r) as u32,
            );
            let sayers = if said.is_null(r) {
                None
            } else {
                let sentences = said.value(r);
                let sentences = sentences
                    .as_any()
                    .downcast_ref::<ListArray>()
                    .ok_or_else(|| bad(path, "`said` is not a list of lists"))?;
                let mut all = Vec::with_capacity(sentences.len());
                for s in 0..sentences.len() {
                    let sayers = hashes(&sentences.value(s), path)?;
                    // Only earlier paragraphs of the document said a sentence before.
                    if let Some(&q) = sayers.iter().find(|&&q| q >= at.1) {
                        return Err(bad(
                            path,
                            format!(
                                "row {r}: paragraph {} of document {} repeats paragraph {q}, which is not before it",
                                at.1, at.0
                            ),
                        ));
                    }
                    all.push(sayers.into_boxed_slice());
                }
                Some(all.into_boxed_slice())
            };
            prints[at.0].push_stored(
                para,
                &hashes(&shingles.value(r), path)?,
                &hashes(&terms.value(r), path)?,
                &wide_hashes(&slots.value(r), path)?,
                (!short_text.is_null(r)).then(|| short_text.value(r)),
                sayers,
            );
            next.1 += 1;
        }
    }
    while next.0 < lengths.len() && next.1 == lengths[next.0] {
        next = (next.0 + 1, 0);
    }
    if next.0 < lengths.len() {
        return Err(bad(
            path,
            format!(
                "ends at paragraph {} of document {}, which has {}",
                next.1, next.0, lengths[next.0]
            ),
        ));
    }
    Ok(prints)
}

/// The 32-bit values of a list cell.
fn hashes(values: &ArrayRef, path: &Path) -> Result<Vec<u32>> {
    let values = values
        .as_any()
        .downcast_ref::<Int32Array>()
        .ok_or_else(|| bad(path, "a list of other than 32-bit integers"))?;
    Ok(values.values().iter().map(|&v| v as u32).collect())
}

/// The 64-bit values of a list cell.
fn wide_hashes(values: &ArrayRef, path: &Path) -> Result<Vec<u64>> {
    let values = values
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| bad(path, "a list of other than 64-bit integers"))?;
    Ok(values.values().iter().map(|&v| unsigned(v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    /// Paragraph spans of `text` split at blank lines, the first a title.
    fn spans(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
        let mut start = 0;
        let mut out = Vec::new();
        for part in text.split("\n\n") {
            out.push((start..start + part.len(), out.is_empty()));
            start += part.len() + 2;
        }
        out
    }

    /// A shard read back is the shard written: every part of every fingerprint (sets,
    /// flags, short texts, sentences said before), the documents and the settings.
    #[test]
    fn a_shard_reads_back_as_written() {
        let texts = [
            "Judul Berita Hari Ini\n\nHarga beras di pasar naik tajam pekan ini. Warga mengeluh.\n\nBaca juga: harga cabai\n\n1. Dewa United vs Port FC\n\nHarga beras di pasar naik tajam pekan ini. Warga antre minyak goreng sejak pagi buta.\n\nWarga antre minyak goreng sejak pagi buta.",
            "",
            "Satu paragraf saja",
        ];
        let config = DedupConfig::default();
        let prints: Vec<DocPrint> = texts
            .iter()
            .map(|text| {
                let mut print = DocPrint::new(text, spans(text), Lang::Indonesian, &config);
                print.site = crate::dedup::print::site_hash("contoh.id");
                print
            })
            .collect();
        assert!(prints[0].short_texts().count() > 0, "a short paragraph");
        assert!(
            (0..prints[0].paragraphs.len()).any(|p| prints[0].sayers(p).is_some()),
            "a paragraph said before"
        );
        let docs = vec![
            ShardDoc {
                id: "a".into(),
                site: Some("contoh.id".into()),
                text_hash: u64::MAX - 1,
                opening: Some(Opening {
                    site: Some("contoh.id".into()),
                    paragraph: 1,
                    head: "Harga beras".into(),
                }),
            },
            ShardDoc {
                id: "b".into(),
                site: Some("contoh.id".into()),
                text_hash: 0,
                opening: None,
            },
            ShardDoc {
                id: "c".into(),
                site: Some("contoh.id".into()),
                text_hash: 1 << 63,
                opening: None,
            },
        ];
        let shard = Shard {
            settings: Settings::new(&config, LangChoice::Fixed(Lang::Indonesian)),
            docs,
            prints,
            frequencies: None,
        };
        assert_reads_back(&shard);
    }

    /// `shard` written and read again is the same shard.
    fn assert_reads_back(shard: &Shard) {
        let tmp = tempfile::tempdir().unwrap();
        shard
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        assert_eq!(&Shard::read(tmp.path()).unwrap(), shard);
    }

    #[test]
    fn flags_and_settings_round_trip() {
        for bits in 0..=255u16 {
            assert_eq!(ParaPrint::stored(1, 2, bits, 3).flag_bits(), bits);
        }
        let mut config = DedupConfig {
            shingle: ShingleKind::Char,
            shingle_size: 7,
            ..DedupConfig::default()
        };
        config.searches.boilerplate = false;
        let settings = Settings::new(&config, LangChoice::Auto);
        let mut back = DedupConfig::default();
        settings.apply_to(&mut back);
        assert_eq!(back, config);
        assert_eq!(
            describe(&settings),
            "--shingle char --shingle-size 7 --lang auto --skip boilerplate"
        );
    }

    /// A shard of more paragraphs than one batch holds is written in several batches,
    /// each of whole documents, and reads back whole.
    #[test]
    fn a_shard_of_several_batches_reads_back_as_written() {
        let config = DedupConfig::default();
        let n = BATCH_ROWS + BATCH_ROWS / 2;
        let prints: Vec<DocPrint> = (0..n / 3)
            .map(|d| {
                let text =
                    format!("Berita nomor {d} hari ini.\n\nKata kedua {d}.\n\nKata ketiga {d}.");
                DocPrint::new(&text, spans(&text), Lang::Indonesian, &config)
            })
            .collect();
        let docs = (0..prints.len())
            .map(|d| ShardDoc {
                id: d.to_string(),
                site: None,
                text_hash: d as u64,
                opening: None,
            })
            .collect();
        let shard = Shard {
            settings: Settings::new(&config, LangChoice::Auto),
            docs,
            prints,
            frequencies: None,
        };
        let batches: Vec<RecordBatch> = shard.fingerprint_batches().collect();
        let rows: Vec<usize> = batches.iter().map(RecordBatch::num_rows).collect();
        assert_eq!(rows, [BATCH_ROWS + 2, n - BATCH_ROWS - 2]);
        assert_reads_back(&shard);
    }

    /// A paragraph whose sentences a later paragraph (or itself) said before, in a shard
    /// not made by `fingerprint`, is refused when read: `decide` followed such a pointer
    /// past the document's paragraphs (out of bounds, or into the next document).
    #[test]
    fn a_sentence_said_by_a_paragraph_not_before_it_is_refused() {
        let written = |sayer: u32| {
            let mut print = DocPrint::default();
            for p in 0..2u16 {
                let sayers =
                    (p == 1).then(|| vec![vec![sayer].into_boxed_slice()].into_boxed_slice());
                print.push_stored(
                    ParaPrint::stored(u64::from(p) + 1, 40, 0, 0),
                    &[],
                    &[],
                    &[],
                    None,
                    sayers,
                );
            }
            let shard = one_document("a", None, print, None);
            let dir = tempfile::tempdir().unwrap();
            shard
                .write(&OutputDir::create(dir.path()).unwrap())
                .unwrap();
            (dir, shard)
        };
        let (dir, shard) = written(0);
        assert_eq!(Shard::read(dir.path()).unwrap(), shard);
        for sayer in [1, 7] {
            let (dir, _) = written(sayer);
            let error = Shard::read(dir.path()).unwrap_err().to_string();
            assert!(
                error.ends_with(&format!(
                    "row 1: paragraph 1 of document 0 repeats paragraph {sayer}, which is not before it"
                )),
                "{error}"
            );
        }
    }

    /// Fingerprints of more paragraphs than the documents table lists (files of two
    /// shards mixed up) are refused, not read past the documents.
    /// A shard of one document, `id`, of default settings.
    fn one_document(
        id: &str,
        opening: Option<Opening>,
        print: DocPrint,
        frequencies: Option<DocumentFrequencies>,
    ) -> Shard {
        Shard {
            settings: Settings::new(&DedupConfig::default(), LangChoice::Auto),
            docs: vec![ShardDoc {
                id: id.into(),
                site: None,
                text_hash: 0,
                opening,
            }],
            prints: vec![print],
            frequencies,
        }
    }

    /// The fingerprints of a document of one paragraph, `text`.
    fn one_paragraph(text: &str) -> DocPrint {
        DocPrint::new(text, spans(text), Lang::Indonesian, &DedupConfig::default())
    }

    /// Shards put together: documents and fingerprints in order, the term counts added up
    /// (none when a part has none), a shard of other settings refused.
    #[test]
    fn appended_shards_add_up_their_counts_and_refuse_other_settings() {
        let shard = |id: &str, vocabulary: Option<Vec<u64>>| {
            let frequencies = vocabulary.map(|v| {
                let mut counted = DocumentFrequencies::default();
                counted.add(&[v]);
                counted
            });
            one_document(
                id,
                None,
                one_paragraph("Satu dua tiga empat lima enam."),
                frequencies,
            )
        };
        let path = Path::new("next");
        let mut all = shard("a", Some(vec![1, 2]));
        all.append(shard("b", Some(vec![2, 3])), path).unwrap();
        let ids: Vec<&str> = all.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(all.prints.len(), 2);
        let mut expected = DocumentFrequencies::default();
        expected.add(&[vec![1, 2], vec![2, 3]]);
        assert_eq!(all.frequencies, Some(expected));
        all.append(shard("c", None), path).unwrap();
        assert_eq!(all.frequencies, None);
        let mut other = shard("d", None);
        other.settings.shingle_size += 1;
        let error = all.append(other, path).unwrap_err().to_string();
        assert!(
            error.contains("fingerprinted with other settings"),
            "{error}"
        );
        assert_eq!(all.docs.len(), 3);
    }

    /// An opening past the paragraphs of its document: refused when read (datelines are
    /// learned from openings, and decided at that paragraph).
    #[test]
    fn an_opening_past_the_paragraphs_is_refused() {
        let text = "Satu dua tiga empat lima enam.";
        let opening = Opening {
            site: None,
            paragraph: 1,
            head: text.into(),
        };
        let shard = one_document("a", Some(opening), one_paragraph(text), None);
        let tmp = tempfile::tempdir().unwrap();
        shard
            .write(&OutputDir::create(tmp.path()).unwrap())
            .unwrap();
        let error = Shard::read(tmp.path()).unwrap_err().to_string();
        assert!(
            error.ends_with("document 0: opens in paragraph 1 of 1"),
            "{error}"
        );
    }

    #[test]
    fn fingerprints_past_the_documents_are_refused() {
        let config = DedupConfig::default();
        let shard = |n: usize| Shard {
            settings: Settings::new(&config, LangChoice::Auto),
            docs: (0..n)
                .map(|d| ShardDoc {
                    id: d.to_string(),
                    site: None,
                    text_hash: 0,
                    opening: None,
                })
                .collect(),
            prints: (0..n)
                .map(|_| {
                    let text = "Satu dua tiga empat lima enam.";
                    DocPrint::new(text, spans(text), Lang::Indonesian, &config)
                })
                .collect(),
            frequencies: None,
        };
        let tmp = tempfile::tempdir().unwrap();
        let (two, one) = (tmp.path().join("two"), tmp.path().join("one"));
        shard(2).write(&OutputDir::create(&two).unwrap()).unwrap();
        shard(1).write(&OutputDir::create(&one).unwrap()).unwrap();
        std::fs::copy(one.join(DOCUMENTS), two.join(DOCUMENTS)).unwrap();
        let error = Shard::read(&two).unwrap_err().to_string();
        assert!(
            error.ends_with("fingerprints.parquet: has more paragraphs than the 1 documents of documents.parquet hold"),
            "{error}"
        );
        // And fewer: the documents of three, the fingerprints of two.
        let three = tmp.path().join("three");
        shard(3).write(&OutputDir::create(&three).unwrap()).unwrap();
        std::fs::copy(three.join(DOCUMENTS), two.join(DOCUMENTS)).unwrap();
        let error = Shard::read(&two).unwrap_err().to_string();
        assert!(
            error.ends_with("ends at paragraph 0 of document 2, which has 1"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_index_is_named_as_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let missing = tmp.path().join("nowhere");
        match read_index(std::slice::from_ref(&missing)) {
            Err(Error::Missing { path }) => assert_eq!(path, missing),
            other => panic!("{other:?}"),
        }
        assert_eq!(read_index(&[]).unwrap(), None);
    }
}
