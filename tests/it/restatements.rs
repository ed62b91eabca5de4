//! Restatements and recaps on small constructed pages, through the binary: what must be
//! dropped (an appended recap) and what must stay (an unrelated appended summary).

use std::fs;

use super::util::{dedupsum, read_csv};

/// Runs `dedupsum dedup` on JSONL records `(id, text)` and returns the rows of
/// paragraphs.csv and duplicates.csv.
type Rows = Vec<std::collections::HashMap<String, String>>;
fn dedup(docs: &[(&str, String)]) -> (Rows, Rows) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("docs.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({ "id": id, "text": text }).to_string())
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("out");
    dedupsum()
        .arg("dedup")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .arg("--all-pairs")
        .assert()
        .success();
    (
        read_csv(&out.join("paragraphs.csv")),
        read_csv(&out.join("duplicates.csv")),
    )
}

/// `(paragraph, reason, duplicate_of_doc)` of the dropped paragraphs of `doc`.
fn drops<'a>(rows: &'a Rows, doc: &str) -> Vec<(u32, &'a str, &'a str)> {
    rows.iter()
        .filter(|r| r["doc_id"] == doc && r["action"] == "drop")
        .map(|r| {
            (
                r["paragraph"].parse().unwrap(),
                r["reason"].as_str(),
                r["duplicate_of_doc"].as_str(),
            )
        })
        .collect()
}

const COURT: [&str; 6] = [
    "Sidang Kasus Tambang Timah di Pangkalpinang",
    "Pengadilan Negeri Pangkalpinang menggelar sidang perdana kasus korupsi tambang timah dengan terdakwa Hendra Wijaya pada Senin pagi.",
    "Jaksa penuntut umum Ratna Sari membacakan dakwaan bahwa kerugian negara mencapai Rp 271 triliun akibat penambangan ilegal di kawasan hutan lindung.",
    "Kuasa hukum terdakwa, Budi Santoso, menyatakan kliennya akan mengajukan eksepsi pekan depan karena dakwaan dinilai kabur.",
    "Majelis hakim yang dipimpin Agus Salim menunda persidangan hingga Kamis untuk mendengarkan keberatan pihak terdakwa.",
    "Ratusan warga Bangka memadati halaman pengadilan sambil membentangkan spanduk yang menuntut hukuman berat bagi para pelaku.",
];

const FLOOD: [&str; 6] = [
    "Banjir Rendam Ribuan Rumah di Kabupaten Bekasi",
    "Hujan deras sejak Sabtu malam membuat Sungai Cikarang meluap dan merendam ribuan rumah warga di tiga kecamatan.",
    "Badan Penanggulangan Bencana Daerah mencatat ketinggian air mencapai satu setengah meter di Desa Sukamaju.",
    "Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat, sementara petugas membagikan makanan siap saji.",
    "Bupati meminta dinas pekerjaan umum segera memperbaiki tanggul yang jebol agar banjir tidak meluas.",
    "Warga berharap pemerintah membangun kolam retensi supaya kejadian serupa tidak terulang setiap musim hujan.",
];

#[test]
fn an_appended_recap_is_dropped_and_an_unrelated_summary_stays() {
    // The court story closes with a recap drawing on three of its paragraphs.
    let recap = "Ringkasan: sidang perdana kasus korupsi tambang timah dengan terdakwa Hendra \
                 Wijaya di Pengadilan Negeri Pangkalpinang, jaksa Ratna Sari mendakwa kerugian \
                 negara Rp 271 triliun, dan majelis hakim menunda persidangan hingga Kamis.";
    let mut court: Vec<&str> = COURT.to_vec();
    court.push(recap);
    // The flood story closes with a summary of a different story, which is content.
    let unrelated = "Ringkasan: tim nasional bulu tangkis meraih tiga gelar juara di turnamen \
                     Jepang Terbuka setelah mengalahkan pasangan unggulan asal Korea Selatan.";
    let mut flood: Vec<&str> = FLOOD.to_vec();
    flood.push(unrelated);
    let (rows, pairs) = dedup(&[("court", court.join("\n\n")), ("flood", flood.join("\n\n"))]);
    assert_eq!(drops(&rows, "court"), [(7, "restated", "court")]);
    assert_eq!(drops(&rows, "flood"), []);
    let recap_pair = pairs
        .iter()
        .find(|p| p["doc_b"] == "court" && p["para_b"] == "7")
        .unwrap();
    assert_eq!(
        (recap_pair["kind"].as_str(), recap_pair["evidence"].as_str()),
        ("restated", "recap")
    );
    let coverage: f64 = recap_pair["score"].parse().unwrap();
    assert!((0.77..=1.0).contains(&coverage), "coverage {coverage}");
    // Every other pair kind leaves the column empty.
    assert!(pairs
        .iter()
        .filter(|p| p["kind"] != "restated")
        .all(|p| p["evidence"].is_empty()));
}

/// A second write-up of the court story from another site, stitched after the first: each
/// paragraph restates one of the first's in other words, in the reverse order, so no two
/// pairs line up as a passage and none is strong enough alone; together they pair off.
#[test]
fn a_second_write_up_restated_out_of_order_is_dropped() {
    let again = [
        "Di luar ruang sidang, ratusan warga Bangka membawa spanduk dan meminta para pelaku dihukum berat.",
        "Sidang kemudian ditunda hakim Agus Salim sampai Kamis agar keberatan terdakwa bisa didengar lebih dulu.",
        "Budi Santoso, pengacara Hendra, mengatakan eksepsi akan diajukan pekan depan sebab dakwaan dianggap kabur.",
        "Dalam dakwaannya, Ratna Sari menyebut penambangan ilegal di hutan lindung itu membuat negara merugi hingga Rp 271 triliun.",
        "Hendra Wijaya duduk sebagai terdakwa dalam sidang pertama perkara korupsi timah yang digelar di Pangkalpinang sejak pagi.",
    ];
    let mut page: Vec<&str> = COURT.to_vec();
    page.extend(again);
    let (rows, pairs) = dedup(&[("court", page.join("\n\n")), ("flood", FLOOD.join("\n\n"))]);
    let restated: Vec<u32> = drops(&rows, "court").into_iter().map(|d| d.0).collect();
    assert_eq!(restated, [7, 8, 9, 10, 11]);
    // Each points at the paragraph it restates, the reverse order of the first write-up.
    let found: Vec<(&str, &str, &str)> = pairs
        .iter()
        .filter(|p| p["doc_b"] == "court")
        .map(|p| {
            (
                p["para_a"].as_str(),
                p["para_b"].as_str(),
                p["evidence"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("6", "7", "block"),
            ("5", "8", "block"),
            ("4", "9", "block"),
            ("3", "10", "block"),
            ("2", "11", "block")
        ]
    );
    assert_eq!(drops(&rows, "flood"), []);
}

/// A paragraph pieced together from two sentences said before, word for word, is a
/// repeat wherever it stands (here before new content, so it is no recap); a paragraph
/// that adds a sentence of its own is not.
#[test]
fn a_paragraph_of_sentences_said_before_is_dropped() {
    let page = [
        "Banjir Rendam Ribuan Rumah di Kabupaten Bekasi",
        "Hujan deras sejak Sabtu malam membuat Sungai Cikarang meluap. Ribuan rumah warga di tiga kecamatan terendam hingga Minggu pagi. Arus lalu lintas di jalan provinsi sempat terputus.",
        "Badan Penanggulangan Bencana Daerah mencatat ketinggian air mencapai satu setengah meter. Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat. Petugas membagikan makanan siap saji.",
        "Ribuan rumah warga di tiga kecamatan terendam hingga Minggu pagi. Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat.",
        "Ribuan rumah warga di tiga kecamatan terendam hingga Minggu pagi. Bupati meminta dinas pekerjaan umum segera memperbaiki tanggul yang jebol.",
        "Warga berharap pemerintah membangun kolam retensi supaya kejadian serupa tidak terulang setiap musim hujan.",
    ];
    let (rows, pairs) = dedup(&[("banjir", page.join("\n\n")), ("court", COURT.join("\n\n"))]);
    assert_eq!(drops(&rows, "banjir"), [(4, "restated", "banjir")]);
    let pair = pairs.iter().find(|p| p["para_b"] == "4").unwrap();
    assert_eq!(
        (
            pair["para_a"].as_str(),
            pair["score"].as_str(),
            pair["evidence"].as_str()
        ),
        ("2", "1.0000", "sentences")
    );
}

/// A quotation closing an article, however much it repeats, is what someone said, not the
/// writer's recap: it stays (on the indonews scrape half of the recap drops were such).
#[test]
fn a_closing_quote_that_repeats_the_article_is_no_recap() {
    let quote = "\"Sidang perdana kasus korupsi tambang timah dengan terdakwa Hendra Wijaya di \
                 Pengadilan Negeri Pangkalpinang, dakwaan kerugian negara Rp 271 triliun, dan \
                 penundaan persidangan hingga Kamis kami hormati,\" kata Ratna Sari.";
    let mut court: Vec<&str> = COURT.to_vec();
    court.push(quote);
    let (rows, _) = dedup(&[("court", court.join("\n\n")), ("flood", FLOOD.join("\n\n"))]);
    assert_eq!(drops(&rows, "court"), []);
}

#[test]
fn an_article_ending_in_new_content_keeps_it() {
    let (rows, _) = dedup(&[("court", COURT.join("\n\n")), ("flood", FLOOD.join("\n\n"))]);
    assert_eq!(drops(&rows, "court"), []);
    assert_eq!(drops(&rows, "flood"), []);
}

#[test]
fn rows_of_a_schedule_stay() {
    let page = [
        "Jadwal Latihan Tim Nasional Pekan Ini",
        "Tim nasional menjalani pemusatan latihan di Stadion Madya Senayan menjelang babak kualifikasi Piala Asia bulan depan.",
        "Pelatih kepala mengumumkan jadwal latihan lengkap untuk para pemain dan staf sebagai berikut.",
        "Senin 14 Juli: latihan fisik pagi di Stadion Madya Senayan pukul 07.00, latihan taktik sore pukul 16.00 bersama pelatih kepala",
        "Selasa 15 Juli: latihan fisik pagi di Stadion Madya Senayan pukul 07.30, latihan taktik sore pukul 16.30 bersama pelatih kepala",
        "Rabu 16 Juli: latihan fisik pagi di Stadion Madya Senayan pukul 08.00, latihan taktik sore pukul 15.30 bersama pelatih kepala",
        "Kamis 17 Juli: latihan fisik pagi di Stadion Madya Senayan pukul 06.30, latihan taktik sore pukul 17.00 bersama pelatih kepala",
    ];
    let (rows, pairs) = dedup(&[("jadwal", page.join("\n\n"))]);
    assert_eq!(drops(&rows, "jadwal"), []);
    assert!(
        pairs.iter().all(|p| p["kind"] != "restated"),
        "schedule rows reported as restated"
    );
}

#[test]
fn a_sentence_stating_another_fact_in_the_same_words_stays() {
    let page = [
        "Vonis Perkara Korupsi Pengadaan Satelit",
        "Majelis hakim Pengadilan Tipikor Jakarta Pusat menjatuhkan vonis 5 tahun penjara dan denda Rp 500 juta kepada terdakwa pertama dalam perkara korupsi pengadaan satelit pertahanan.",
        "Jaksa penuntut umum menyatakan pikir-pikir atas putusan tersebut dan akan berkoordinasi dengan pimpinan sebelum menentukan sikap.",
        "Kuasa hukum para terdakwa menilai majelis mengabaikan sejumlah fakta persidangan yang meringankan kliennya.",
        "Majelis hakim Pengadilan Tipikor Jakarta Pusat menjatuhkan vonis 3 tahun penjara dan denda Rp 200 juta kepada terdakwa kedua dalam perkara korupsi pengadaan satelit pertahanan.",
    ];
    let (rows, _) = dedup(&[("vonis", page.join("\n\n"))]);
    assert_eq!(drops(&rows, "vonis"), []);
}

/// Regression (the indonews scrape): the prosecutor's demand, quoted in the words of the
/// verdict quoted above it, was dropped as a restated passage of the verdict: "… selama
/// 14 tahun," ujar jaksa after "… selama 11 tahun," ujar hakim. The same words with
/// another number after one of them state another fact, in a passage too.
#[test]
fn a_demand_quoted_in_the_words_of_the_verdict_stays() {
    let page = [
        "Pengacara Divonis dalam Kasus Suap Hakim",
        "Pengacara Maya Kusuma divonis hukuman penjara. Hakim menyatakan Maya bersalah memberikan suap kepada tiga hakim Pengadilan Negeri Kota Lama terkait vonis bebas kliennya.",
        "\"Mengadili, menyatakan terdakwa Maya Kusuma terbukti secara sah dan meyakinkan bersalah melakukan tindak pidana korupsi memberi sesuatu kepada hakim untuk mempengaruhi putusan dan melakukan pemufakatan jahat,\" ujar ketua majelis hakim Rahmat Hidayat saat membacakan amar putusan di Pengadilan Tipikor Kota Lama, Rabu (18/6/2025).",
        "\"Menjatuhkan pidana terhadap Terdakwa dengan pidana penjara selama 11 tahun,\" ujar hakim.",
        "Hakim juga menghukum Maya membayar denda Rp 750 juta. Apabila denda tidak dibayar, diganti pidana selama 6 bulan kurungan.",
        "Hakim menyatakan Maya bersalah melanggar Pasal 6 ayat 1 huruf a dan Pasal 15 UU Tipikor.",
        "Sebelumnya, Maya dituntut 14 tahun penjara. Jaksa juga menuntut Maya membayar denda Rp 750 juta subsider 6 bulan kurungan.",
        "\"Menuntut agar supaya majelis hakim Pengadilan Tipikor Kota Lama memutuskan menyatakan terdakwa Maya Kusuma terbukti secara sah dan meyakinkan bersalah melakukan tindak pidana korupsi memberikan suap dan menerima gratifikasi,\" ujar jaksa saat membacakan surat tuntutan di Pengadilan Tipikor Kota Lama, Rabu (28/5/2025).",
        "\"Menjatuhkan pidana terhadap Terdakwa dengan pidana penjara selama 14 tahun,\" ujar jaksa.",
    ];
    let (rows, _) = dedup(&[("vonis", page.join("\n\n")), ("flood", FLOOD.join("\n\n"))]);
    assert_eq!(drops(&rows, "vonis"), []);
}

/// Regression: numbered items of a list at the end of a page ("3. Cek Fakta: …") were
/// dropped as restatements of the sections they list. Items of a list are parallel rows.
#[test]
fn numbered_items_that_list_the_sections_of_a_page_stay() {
    let mut page: Vec<String> = COURT.iter().map(|p| p.to_string()).collect();
    for (k, p) in COURT[1..4].iter().enumerate() {
        let words: Vec<&str> = p.split(' ').take(14).collect();
        page.push(format!("{}. {}.", k + 1, words.join(" ")));
    }
    let (rows, _) = dedup(&[("court", page.join("\n\n")), ("flood", FLOOD.join("\n\n"))]);
    let restated: Vec<_> = drops(&rows, "court")
        .into_iter()
        .filter(|d| d.1 == "restated")
        .collect();
    assert_eq!(restated, []);
}

/// Regression (found by a property test): a sentence said first by a paragraph dropped as
/// an exact copy of another article's, then by a kept paragraph, and last alone. The last
/// was kept (its source was taken to be the dropped paragraph), and `dedup` run again on
/// `clean.jsonl` dropped it. Now it is dropped the first time, pointing at the kept
/// paragraph that said the sentence, and the second run drops nothing.
#[test]
fn a_sentence_said_first_by_a_dropped_paragraph_is_dropped_the_first_time_not_the_second() {
    let lead = "Hujan deras sejak Sabtu malam membuat Sungai Cikarang meluap. Ribuan rumah warga di tiga kecamatan terendam.";
    let docs = [
        ("a", format!("{lead}\n\n{}", COURT[1])),
        (
            "b",
            format!(
                "{lead}\n\nRibuan rumah warga di tiga kecamatan terendam. Sebanyak 850 jiwa mengungsi ke masjid dan sekolah terdekat.\n\n{}\n\nRibuan rumah warga di tiga kecamatan terendam.",
                COURT[3]
            ),
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("docs.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({ "id": id, "text": text }).to_string())
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    for (input, out) in [(&input, &first), (&first.join("clean.jsonl"), &second)] {
        dedupsum()
            .arg("dedup")
            .arg(input)
            .args(["--quiet", "--lang", "id", "--out"])
            .arg(out)
            .assert()
            .success();
    }
    let rows = read_csv(&first.join("paragraphs.csv"));
    let row = rows
        .iter()
        .find(|r| r["doc_id"] == "b" && r["paragraph"] == "4")
        .unwrap();
    assert_eq!(
        [
            &row["action"],
            &row["reason"],
            &row["duplicate_of_doc"],
            &row["duplicate_of_paragraph"]
        ],
        ["drop", "restated", "b", "2"]
    );
    assert_eq!(drops(&rows, "b").len(), 2);
    let again = read_csv(&second.join("paragraphs.csv"));
    assert!(
        again.iter().all(|r| r["action"] == "keep"),
        "{:?}",
        drops(&again, "b")
    );
}

/// An extractive summary appended a sentence a paragraph, as IndoSum's are (here out of
/// the article's order, so no passage lines up): each a
/// sentence of one paragraph, respaced and cut short, so no sentence matches word for
/// word and the long paragraph it came from shares too little for a pair. Each is an
/// excerpt of its paragraph; the flood story's summary of the court story stays.
#[test]
fn an_extractive_summary_respaced_is_dropped_as_excerpts() {
    let court = [
        COURT[0],
        "Pengadilan Negeri Pangkalpinang menggelar sidang perdana kasus korupsi tambang timah dengan terdakwa Hendra Wijaya pada Senin pagi. Sidang dibuka pukul sembilan dan berlangsung hingga sore, dihadiri keluarga terdakwa serta perwakilan lembaga swadaya masyarakat yang memantau perkara tambang di pulau itu.",
        "Jaksa penuntut umum Ratna Sari membacakan dakwaan bahwa kerugian negara mencapai Rp 271 triliun akibat penambangan ilegal di kawasan hutan lindung. Menurut dakwaan, puluhan perusahaan cangkang dipakai untuk menampung bijih dari lokasi tambang tanpa izin selama empat tahun.",
        COURT[3],
        COURT[4],
        COURT[5],
        "Jaksa Ratna Sari membacakan dakwaan , kerugian negara mencapai Rp 271 triliun akibat penambangan ilegal .",
        "Pengadilan Negeri Pangkalpinang menggelar sidang perdana kasus korupsi tambang timah dengan terdakwa Hendra Wijaya .",
    ];
    let mut flood: Vec<&str> = FLOOD.to_vec();
    flood.push("Jaksa Ratna Sari mendakwa terdakwa Hendra Wijaya merugikan negara Rp 271 triliun dalam sidang perdana kasus timah.");
    let (rows, pairs) = dedup(&[("court", court.join("\n\n")), ("flood", flood.join("\n\n"))]);
    assert_eq!(
        drops(&rows, "court"),
        [(7, "restated", "court"), (8, "restated", "court")]
    );
    assert_eq!(drops(&rows, "flood"), []);
    let excerpts: Vec<(&str, &str, f64)> = pairs
        .iter()
        .filter(|p| p["doc_b"] == "court" && p["evidence"] == "excerpt")
        .map(|p| {
            (
                p["para_a"].as_str(),
                p["para_b"].as_str(),
                p["score"].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(excerpts.len(), 2, "{pairs:?}");
    assert_eq!((excerpts[0].0, excerpts[0].1), ("3", "7"));
    assert_eq!((excerpts[1].0, excerpts[1].1), ("2", "8"));
    assert!(excerpts.iter().all(|e| (0.9..=1.0).contains(&e.2)));
}
