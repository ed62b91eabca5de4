//! Streams the records of the inputs without keeping them: how many documents, how many
//! bytes of text, how many records skipped. Memory stays at one record, whatever the size
//! of the inputs.
//!
//! ```sh
//! cargo run --release --example count_records -- corpus data/news.jsonl.gz
//! ```

use std::path::PathBuf;

use dedupsum::corpus::Corpus;
use dedupsum::ReadConfig;

fn main() -> Result<(), dedupsum::Error> {
    let inputs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let corpus = Corpus::open(&inputs, ReadConfig::default())?;
    let (mut docs, mut bytes, mut skipped) = (0usize, 0usize, 0usize);
    for record in corpus.records() {
        match record {
            Ok(doc) => {
                docs += 1;
                bytes += doc.text.len();
            }
            Err(err) => {
                skipped += 1;
                eprintln!("skipped {err}");
            }
        }
    }
    println!("{docs} documents, {bytes} bytes of text, {skipped} skipped");
    Ok(())
}
