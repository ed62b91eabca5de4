#![no_main]
//! The whole cleaning pipeline on one or two arbitrary articles: every paragraph gets one
//! decision, a drop points at a kept paragraph, and the outputs can be written.

use std::path::PathBuf;

use dedupsum::corpus::Source;
use dedupsum::{Config, Decision, Document, Job, Pipeline};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let docs: Vec<Document> = text
        .split('\u{1}')
        .take(3)
        .enumerate()
        .map(|(i, t)| Document {
            id: format!("d{i}"),
            title: None,
            text: t.to_owned(),
            source: Source {
                path: PathBuf::from("fuzz"),
                line: None,
            },
        })
        .collect();
    let mut config = Config::new(Vec::new());
    config.threads = Some(1);
    let outcome = Pipeline::new(config)
        .unwrap()
        .run_documents(Job::Run, docs)
        .unwrap();
    for (d, decisions) in outcome.dedup.decisions.iter().enumerate() {
        assert_eq!(decisions.len(), outcome.analyzed[d].paragraphs.len());
        for decision in decisions {
            if let Decision::Drop {
                duplicate_of: Some(of),
                ..
            } = decision
            {
                let target = outcome.dedup.decisions[of.doc as usize][of.para as usize];
                assert!(target.is_kept(), "a drop points at a dropped paragraph");
            }
        }
    }
    let mut sink = Vec::new();
    for d in 0..outcome.docs.len() {
        sink.push(outcome.clean_text(d));
    }
});
