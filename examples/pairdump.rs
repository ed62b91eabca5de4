// Temporary analysis tool: dumps restated-pair features as TSV.
use dedupsum::*;
use std::collections::HashMap;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs = corpus::read_inputs(&[args[1].clone().into()], &JsonFields::default()).unwrap();
    let analyzed: Vec<_> = docs.iter().map(|d| text::analyze(d, LangChoice::Auto)).collect();
    let mut df: HashMap<u64, u32> = HashMap::new();
    for a in &analyzed {
        let mut t: Vec<u64> = a.paragraphs.iter().flat_map(|p| p.terms()).collect();
        t.sort_unstable(); t.dedup();
        for x in t { *df.entry(x).or_default() += 1; }
    }
    let n_docs = docs.len() as f64;
    println!("doc\ti\tj\tni\tnj\tshared\twshared\twi\twj\twords_i\twords_j");
    for (d, a) in analyzed.iter().enumerate() {
        let body: Vec<usize> = (0..a.paragraphs.len()).filter(|&p| !a.paragraphs[p].is_title && !dedupsum::dedup::boilerplate::is_label_line(&docs[d].text[a.paragraphs[p].span.clone()])).collect();
        let sets: Vec<Vec<u64>> = body.iter().map(|&p| { let mut t: Vec<u64> = a.paragraphs[p].terms().collect(); t.sort_unstable(); t.dedup(); t }).collect();
        let n = sets.len();
        let mut ldf: HashMap<u64, u32> = HashMap::new();
        for s in &sets { for &t in s { *ldf.entry(t).or_default() += 1; } }
        let w = |t: u64| (1.0 + n as f64 / ldf[&t] as f64).ln() * (1.0 + ((n_docs + 1.0) / df[&t] as f64).ln());
        for x in 0..n { for y in x+1..n {
            let (si, sj) = (&sets[x], &sets[y]);
            let shared: Vec<u64> = si.iter().filter(|t| sj.binary_search(t).is_ok()).copied().collect();
            let ws: f64 = shared.iter().map(|&t| w(t)).sum();
            let wi: f64 = si.iter().map(|&t| w(t)).sum();
            let wj: f64 = sj.iter().map(|&t| w(t)).sum();
            println!("{}\t{}\t{}\t{}\t{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}", docs[d].id, body[x]+1, body[y]+1, si.len(), sj.len(), shared.len(), ws, wi, wj, a.paragraphs[body[x]].words, a.paragraphs[body[y]].words);
        }}
    }
}
