#![no_main]
//! Segmentation of arbitrary text: paragraphs, sentences and terms are in-bounds byte
//! spans on character boundaries, in order, sentences inside their paragraph.

use std::path::PathBuf;

use dedupsum::corpus::Source;
use dedupsum::{text, Document, Lang, LangChoice};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let doc = Document {
        id: "fuzz".into(),
        title: None,
        text: String::from_utf8_lossy(rest).into_owned(),
        source: Source {
            path: PathBuf::from("fuzz"),
            line: None,
        },
    };
    let lang = match choice % 4 {
        0 => LangChoice::Auto,
        1 => LangChoice::Fixed(Lang::from_code("id").unwrap()),
        2 => LangChoice::Fixed(Lang::from_code("en").unwrap()),
        _ => LangChoice::Fixed(Lang::from_code("deu").unwrap()),
    };
    let analyzed = text::analyze(&doc, lang);
    let mut end = 0;
    for p in &analyzed.paragraphs {
        assert!(p.span.start >= end && p.span.start < p.span.end && p.span.end <= doc.text.len());
        assert!(doc.text.is_char_boundary(p.span.start) && doc.text.is_char_boundary(p.span.end));
        end = p.span.end;
        assert_eq!(p.sentences.len(), p.sentence_terms.len());
        let mut s_end = p.span.start;
        for s in &p.sentences {
            assert!(
                s.start >= s_end && s.start <= s.end && s.end <= p.span.end,
                "{s:?} in {:?}",
                p.span
            );
            assert!(doc.text.is_char_boundary(s.start) && doc.text.is_char_boundary(s.end));
            s_end = s.end;
        }
    }
});
