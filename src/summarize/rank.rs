//! Sentence scores: how central each sentence of an article is.
//!
//! All methods work on the matrix of pairwise sentence similarities of one article.

use std::str::FromStr;

/// How sentences are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The first sentences, in order (the LEAD baseline).
    Lead,
    /// TextRank (Mihalcea & Tarau 2004): PageRank over word-overlap similarity
    /// normalised by sentence lengths.
    TextRank,
    /// LexRank (Erkan & Radev 2004): PageRank over TF-IDF cosine similarity.
    LexRank,
    /// Position-aware directed centrality (after PACSUM, Zheng & Lapata 2019): a sentence
    /// is central when the sentences after it echo it; combined with a position prior.
    Pacsum,
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "lead" => Ok(Method::Lead),
            "textrank" => Ok(Method::TextRank),
            "lexrank" => Ok(Method::LexRank),
            "pacsum" => Ok(Method::Pacsum),
            other => Err(format!(
                "unknown method `{other}` (expected pacsum, lead, textrank or lexrank)"
            )),
        }
    }
}

impl Method {
    /// Name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Lead => "lead",
            Method::TextRank => "textrank",
            Method::LexRank => "lexrank",
            Method::Pacsum => "pacsum",
        }
    }
}

/// A square similarity matrix, row-major.
pub struct Matrix {
    /// Side.
    pub n: usize,
    /// `values[i * n + j]`.
    pub values: Vec<f64>,
}

impl Matrix {
    /// Builds a symmetric matrix from a similarity function of `i < j`; the diagonal is 0.
    pub fn symmetric(n: usize, sim: impl Fn(usize, usize) -> f64) -> Matrix {
        let mut values = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let s = sim(i, j);
                values[i * n + j] = s;
                values[j * n + i] = s;
            }
        }
        Matrix { n, values }
    }

    /// Similarity of `i` and `j`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n + j]
    }
}

/// PageRank over a weighted undirected graph (rows normalised to transition probabilities).
pub fn pagerank(m: &Matrix) -> Vec<f64> {
    const DAMPING: f64 = 0.85;
    let n = m.n;
    if n == 0 {
        return Vec::new();
    }
    let row_sum: Vec<f64> = (0..n)
        .map(|i| m.values[i * n..(i + 1) * n].iter().sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..100 {
        let mut next = vec![(1.0 - DAMPING) / n as f64; n];
        for i in 0..n {
            if row_sum[i] > 0.0 {
                let share = DAMPING * rank[i] / row_sum[i];
                for (j, x) in next.iter_mut().enumerate() {
                    *x += share * m.values[i * n + j];
                }
            } else {
                let share = DAMPING * rank[i] / n as f64;
                next.iter_mut().for_each(|x| *x += share);
            }
        }
        let delta: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if delta < 1e-10 {
            break;
        }
    }
    rank
}

/// Parameters of the position-aware centrality.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacsumParams {
    /// Edges weaker than `min + beta (max - min)` of the article's similarities are cut.
    pub beta: f64,
    /// Weight of edges to earlier sentences (negative: echoing earlier text is not news).
    pub backward: f64,
    /// Weight of edges to later sentences.
    pub forward: f64,
    /// Subtracted from the score of a sentence with quoted speech.
    pub quote_penalty: f64,
    /// Subtracted from the score of a sentence under 10 words.
    pub short_penalty: f64,
    /// Added to the score in proportion to sentence length (saturating at 25 words).
    pub length_weight: f64,
    /// Exponent of the position prior `1 / (position + 1) ^ decay`.
    pub decay: f64,
    /// Similarity by shared words normalised by log lengths (TextRank) instead of TF-IDF cosine.
    pub overlap: bool,
}

impl Default for PacsumParams {
    fn default() -> Self {
        PacsumParams {
            beta: 0.0,
            backward: -0.5,
            forward: 1.0,
            quote_penalty: 0.3,
            short_penalty: 0.15,
            length_weight: 0.0,
            decay: 0.5,
            overlap: true,
        }
    }
}

/// Directed degree centrality: `forward Σ_{j>i} e_ij + backward Σ_{j<i} e_ij` over
/// thresholded edges.
pub fn pacsum(m: &Matrix, params: &PacsumParams) -> Vec<f64> {
    let n = m.n;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for i in 0..n {
        for j in i + 1..n {
            lo = lo.min(m.get(i, j));
            hi = hi.max(m.get(i, j));
        }
    }
    let cut = lo + params.beta * (hi - lo);
    (0..n)
        .map(|i| {
            (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let e = (m.get(i, j) - cut).max(0.0);
                    if j > i {
                        params.forward * e
                    } else {
                        params.backward * e
                    }
                })
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagerank_favours_the_hub_and_sums_to_one() {
        let m = Matrix::symmetric(3, |i, _| if i == 0 { 0.5 } else { 0.0 });
        let r = pagerank(&m);
        assert!(r[0] > r[1] && r[0] > r[2]);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn pacsum_rewards_sentences_echoed_later() {
        // 0 and 2 are similar; 1 is unrelated. 0 is echoed later, 2 echoes earlier text.
        let m = Matrix::symmetric(3, |i, j| if (i, j) == (0, 2) { 0.8 } else { 0.1 });
        let c = pacsum(&m, &PacsumParams::default());
        assert!(c[0] > c[1] && c[1] >= c[2], "{c:?}");
    }

    /// How far `r` is from the fixed point of PageRank over `m` (damping 0.85; a node
    /// without edges shares its rank with every node), worked out apart from [`pagerank`].
    fn residual(m: &[Vec<f64>], r: &[f64]) -> f64 {
        let n = m.len();
        let mut next = vec![0.15 / n as f64; n];
        for i in 0..n {
            let sum: f64 = m[i].iter().sum();
            for j in 0..n {
                next[j] += if sum > 0.0 {
                    0.85 * r[i] * m[i][j] / sum
                } else {
                    0.85 * r[i] / n as f64
                };
            }
        }
        next.iter().zip(r).map(|(a, b)| (a - b).abs()).sum()
    }

    /// PageRank converges to its fixed point, an isolated sentence included, and ranks
    /// are probabilities.
    #[test]
    fn pagerank_reaches_its_fixed_point() {
        let m = vec![
            vec![0.0, 0.9, 0.2, 0.0, 0.0],
            vec![0.9, 0.0, 0.4, 0.1, 0.0],
            vec![0.2, 0.4, 0.0, 0.3, 0.0],
            vec![0.0, 0.1, 0.3, 0.0, 0.0],
            vec![0.0, 0.0, 0.0, 0.0, 0.0],
        ];
        let r = pagerank(&Matrix::symmetric(5, |i, j| m[i][j]));
        assert!(residual(&m, &r) < 1e-9, "{r:?}: {}", residual(&m, &r));
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{r:?}");
        assert!(
            r[1] > r[0] && r[0] > r[2] && r[2] > r[3] && r[3] > r[4],
            "{r:?}"
        );
        // Without any edge, every sentence ranks the same.
        let r = pagerank(&Matrix::symmetric(3, |_, _| 0.0));
        assert!(r.iter().all(|x| (x - 1.0 / 3.0).abs() < 1e-12), "{r:?}");
        assert!(pagerank(&Matrix::symmetric(0, |_, _| 1.0)).is_empty());
    }

    /// The directed degree worked out by hand: edges below `min + beta (max - min)` cut,
    /// the rest less the cut, later ones weighted `forward`, earlier ones `backward`.
    #[test]
    fn pacsum_degree_by_hand() {
        let m = [[0.0, 0.2, 0.6], [0.2, 0.0, 1.0], [0.6, 1.0, 0.0]];
        let params = PacsumParams {
            beta: 0.5,
            backward: -0.25,
            forward: 2.0,
            ..PacsumParams::default()
        };
        // min 0.2, max 1.0: the cut is 0.6; only the edge (1, 2) passes, by 0.4.
        let c = pacsum(&Matrix::symmetric(3, |i, j| m[i][j]), &params);
        let expected = [0.0, 2.0 * 0.4, -0.25 * 0.4];
        for (x, e) in c.iter().zip(expected) {
            assert!((x - e).abs() < 1e-12, "{c:?}");
        }
        // Beta 0: every edge counts, less the weakest (0.2).
        let c = pacsum(
            &Matrix::symmetric(3, |i, j| m[i][j]),
            &PacsumParams::default(),
        );
        let expected = [0.4, 0.8, -0.5 * (0.4 + 0.8)];
        for (x, e) in c.iter().zip(expected) {
            assert!((x - e).abs() < 1e-12, "{c:?}");
        }
        // A matrix entry read as `get` reads it.
        let m = Matrix::symmetric(3, |i, j| (i * 3 + j) as f64);
        assert_eq!((m.get(0, 2), m.get(2, 0), m.get(1, 1)), (2.0, 2.0, 0.0));
    }

    #[test]
    fn methods_parse() {
        for m in [
            Method::Lead,
            Method::TextRank,
            Method::LexRank,
            Method::Pacsum,
        ] {
            assert_eq!(m.as_str().parse::<Method>(), Ok(m));
        }
        assert!("nope".parse::<Method>().is_err());
    }
}
