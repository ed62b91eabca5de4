//! The progress bar as a terminal shows it: each command run with stderr on a
//! pseudo-terminal, and what it drew read back. No timing is asserted: every stage draws
//! its first frame and, when the next starts, its last one, however fast the machine.

use std::ffi::{CStr, OsStr};
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use indicatif::BinaryBytes;

use super::util::dedupsum;

/// A new pseudo-terminal of 200 columns: (controlling side, terminal side). Both are
/// close-on-exec, so that no other test's child keeps the terminal open.
fn pty() -> (OwnedFd, OwnedFd) {
    let check = |rc: libc::c_int, what: &str| {
        assert!(rc >= 0, "{what}: {}", io::Error::last_os_error());
        rc
    };
    // SAFETY: plain calls on descriptors this function opens and owns; `name` is a buffer
    // of the length given.
    unsafe {
        let flags = libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC;
        let master = OwnedFd::from_raw_fd(check(libc::posix_openpt(flags), "posix_openpt"));
        check(libc::grantpt(master.as_raw_fd()), "grantpt");
        check(libc::unlockpt(master.as_raw_fd()), "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        let rc = libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len());
        assert_eq!(rc, 0, "ptsname_r");
        let path = CStr::from_ptr(name.as_ptr());
        let slave = OwnedFd::from_raw_fd(check(libc::open(path.as_ptr(), flags), "open pts"));
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 200,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        check(
            libc::ioctl(slave.as_raw_fd(), libc::TIOCSWINSZ, &size),
            "TIOCSWINSZ",
        );
        (master, slave)
    }
}

/// What a run drew on its terminal stderr.
struct Drawn {
    /// Every line and frame drawn (split at `\r` and `\n`, escape sequences removed), in
    /// order, each once.
    frames: Vec<String>,
}

impl Drawn {
    fn has(&self, text: &str) -> bool {
        self.frames.iter().any(|f| f.contains(text))
    }

    /// Whether a frame of `stage` was drawn.
    fn stage_shown(&self, stage: &str) -> bool {
        self.stage_had(stage, "")
    }

    /// Whether a frame of `stage` showing `text` was drawn.
    fn stage_had(&self, stage: &str, text: &str) -> bool {
        // A frame is the spinner, the stage, its clock in brackets and its counts.
        let start = format!("{stage} [");
        self.frames.iter().any(|f| {
            f.trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
                .starts_with(&start)
                && f.contains(text)
        })
    }
}

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for frame in &self.frames {
            writeln!(f, "{frame}")?;
        }
        Ok(())
    }
}

/// Runs `dedupsum args` with stderr on a pseudo-terminal (stdin from `stdin`, or
/// nothing) and returns what it drew, once it ended with success.
fn on_a_terminal(args: &[&OsStr], stdin: Option<&Path>) -> Drawn {
    drawn_by(args, stdin, false)
}

/// [`on_a_terminal`], with stdout on the same terminal when `stdout_too` (else nowhere).
fn drawn_by(args: &[&OsStr], stdin: Option<&Path>, stdout_too: bool) -> Drawn {
    let (master, slave) = pty();
    let stdout = match stdout_too {
        true => Stdio::from(slave.try_clone().unwrap()),
        false => Stdio::null(),
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_dedupsum"));
    command
        .args(args)
        .env("TERM", "xterm")
        .stdin(match stdin {
            Some(path) => Stdio::from(File::open(path).unwrap()),
            None => Stdio::null(),
        })
        .stdout(stdout)
        .stderr(Stdio::from(slave));
    let mut child = command.spawn().unwrap();
    // The command holds the terminal side until dropped: reading ends (EIO) only once no
    // one but the child has it open, and the child ended.
    drop(command);
    // Read while the child runs, so that a full terminal buffer never stops it.
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut master = File::from(master);
        let mut buf = [0u8; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break, // EIO: the child and its terminal are gone.
            }
        }
        bytes
    });
    let status = child.wait().unwrap();
    let bytes = reader.join().unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let drawn = Drawn {
        frames: frames(&text),
    };
    assert!(status.success(), "{status}: {drawn:?}");
    drawn
}

/// The lines and frames of what a terminal was sent, without escape sequences.
fn frames(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: `ESC [`, parameters, one final byte in @..~.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        plain.push(c);
    }
    let mut frames: Vec<String> = Vec::new();
    for frame in plain.split(['\r', '\n']).map(str::trim_end) {
        if !frame.is_empty() && !frames.iter().any(|f| f == frame) {
            frames.push(frame.to_owned());
        }
    }
    frames
}

/// A small corpus with repeated paragraphs: its directory, file and size in bytes.
fn sample() -> (tempfile::TempDir, PathBuf, u64) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("news.jsonl");
    let mut lines = String::new();
    for i in 0..40 {
        let text = format!(
            "Berita nomor {i} tentang banjir di kota {i} pada hari Senin.\n\n\
             Warga kota {i} mengungsi ke tempat yang lebih tinggi setelah hujan deras \
             semalaman, kata petugas.\n\n\
             Baca juga: berita lain yang menarik hari ini di situs kami."
        );
        let line = serde_json::json!({"id": format!("d{i}"), "text": text, "source": "situs"});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    fs::write(&path, &lines).unwrap();
    (tmp, path, lines.len() as u64)
}

const DOCS: usize = 40;

/// Frames every byte stage of the sample ends with: its bytes all read, of its size.
fn all_read(size: u64) -> String {
    let size = BinaryBytes(size);
    format!("{size}/{size}, {DOCS} documents")
}

/// The checks every command's drawing passes: the stages it runs shown and no other, the
/// input's size as the total, no empty total, and the bar gone before the last line.
fn check(drawn: &Drawn, runs: &[&str], does_not_run: &[&str], last: &str) {
    for stage in runs {
        assert!(drawn.stage_shown(stage), "{stage} not shown:\n{drawn:?}");
    }
    for stage in does_not_run {
        assert!(!drawn.stage_shown(stage), "{stage} shown:\n{drawn:?}");
    }
    assert!(!drawn.has("0 B/0 B"), "{drawn:?}");
    let final_line = drawn.frames.last().unwrap();
    assert!(final_line.starts_with(last), "{drawn:?}");
}

#[test]
fn progress_of_run_shows_its_stages_and_the_bytes_of_the_input() {
    let (tmp, input, size) = sample();
    let out = tmp.path().join("out");
    let drawn = on_a_terminal(
        &[
            "run".as_ref(),
            input.as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        None,
    );
    check(
        &drawn,
        &[
            "reading",
            "finding duplicates",
            "rereading, summarising, writing paragraphs",
            "writing",
        ],
        &[
            "analysing",
            "summarising",
            "writing summaries",
            "writing paragraphs",
            "rereading, writing paragraphs",
            "copying standard input",
        ],
        &format!("dedupsum: {DOCS} documents"),
    );
    for stage in ["reading", "rereading, summarising, writing paragraphs"] {
        assert!(
            drawn.stage_had(stage, &all_read(size)),
            "{stage}: {drawn:?}"
        );
    }
}

#[test]
fn progress_of_dedup_shows_both_passes_over_the_input() {
    let (tmp, input, size) = sample();
    let out = tmp.path().join("out");
    let drawn = on_a_terminal(
        &[
            "dedup".as_ref(),
            input.as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        None,
    );
    check(
        &drawn,
        &[
            "reading",
            "finding duplicates",
            "rereading, writing paragraphs",
            "writing",
        ],
        &["analysing", "summarising", "writing summaries"],
        &format!("dedupsum: {DOCS} documents"),
    );
    for stage in ["reading", "rereading, writing paragraphs"] {
        assert!(
            drawn.stage_had(stage, &all_read(size)),
            "{stage}: {drawn:?}"
        );
    }
}

#[test]
fn progress_of_dedup_with_only_pairs_shows_the_writing_but_no_second_pass() {
    let (tmp, input, size) = sample();
    let out = tmp.path().join("out");
    let drawn = on_a_terminal(
        &[
            "dedup".as_ref(),
            input.as_ref(),
            "--pairs-only".as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        None,
    );
    check(
        &drawn,
        &["reading", "finding duplicates", "writing"],
        &[
            "analysing",
            "summarising",
            "writing summaries",
            "rereading, writing paragraphs",
        ],
        &format!("dedupsum: {DOCS} documents"),
    );
    assert!(drawn.stage_had("reading", &all_read(size)), "{drawn:?}");
}

#[test]
fn progress_of_summarize_never_shows_finding_duplicates() {
    let (tmp, input, size) = sample();
    let out = tmp.path().join("summaries.csv");
    let drawn = on_a_terminal(
        &[
            "summarize".as_ref(),
            input.as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        None,
    );
    check(
        &drawn,
        &["reading", "rereading, summarising"],
        &[
            "finding duplicates",
            "analysing",
            "writing summaries",
            "writing paragraphs",
            "rereading, writing paragraphs",
        ],
        &format!("dedupsum: summarised {DOCS} documents"),
    );
    for stage in ["reading", "rereading, summarising"] {
        assert!(
            drawn.stage_had(stage, &all_read(size)),
            "{stage}: {drawn:?}"
        );
    }
}

#[test]
fn progress_of_standard_input_counts_bytes_without_a_total() {
    let (tmp, input, size) = sample();
    let out = tmp.path().join("summaries.csv");
    let drawn = on_a_terminal(
        &[
            "summarize".as_ref(),
            "-".as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        Some(&input),
    );
    // Copied first, to be read twice: bytes as they come, no total and so no time left;
    // then its size is known.
    let copied = format!("] {}", BinaryBytes(size));
    assert!(
        drawn.stage_had("copying standard input", &copied),
        "{drawn:?}"
    );
    let of_total = format!("/{}", BinaryBytes(size));
    assert!(
        !drawn.stage_had("copying standard input", &of_total),
        "{drawn:?}"
    );
    assert!(drawn.stage_had("reading", &all_read(size)), "{drawn:?}");
    // So does cleaning.
    let out = tmp.path().join("out");
    let drawn = on_a_terminal(
        &[
            "dedup".as_ref(),
            "-".as_ref(),
            "--out".as_ref(),
            out.as_ref(),
        ],
        Some(&input),
    );
    let copied = format!("] {}", BinaryBytes(size));
    assert!(
        drawn.stage_had("copying standard input", &copied),
        "{drawn:?}"
    );
    assert!(drawn.stage_had("reading", &all_read(size)), "{drawn:?}");
}

#[test]
fn progress_stops_before_summaries_are_written_on_the_terminal() {
    let (_tmp, input, _) = sample();
    let args: [&OsStr; 4] = [
        "summarize".as_ref(),
        input.as_ref(),
        "--out".as_ref(),
        "-".as_ref(),
    ];
    let drawn = drawn_by(&args, None, true);
    // The first pass was drawn, then cleared: the rows are not drawn over.
    assert!(drawn.stage_shown("reading"), "{drawn:?}");
    assert!(!drawn.stage_shown("rereading, summarising"), "{drawn:?}");
    assert!(
        drawn.frames.iter().any(|f| f.starts_with("doc_id,")),
        "{drawn:?}"
    );
    assert!(
        drawn.frames.iter().any(|f| f.starts_with("d39,")),
        "{drawn:?}"
    );
}

#[test]
fn progress_is_not_drawn_with_quiet() {
    let (tmp, input, _) = sample();
    let out = tmp.path().join("out");
    let drawn = on_a_terminal(
        &[
            "run".as_ref(),
            input.as_ref(),
            "--out".as_ref(),
            out.as_ref(),
            "-q".as_ref(),
        ],
        None,
    );
    assert!(drawn.frames.is_empty(), "{drawn:?}");
}

#[test]
fn progress_is_not_written_when_stderr_is_not_a_terminal() {
    let (tmp, input, _) = sample();
    for (command, out, said) in [
        ("run", "out-run", format!("dedupsum: {DOCS} documents")),
        ("dedup", "out-dedup", format!("dedupsum: {DOCS} documents")),
        (
            "summarize",
            "s.csv",
            format!("dedupsum: summarised {DOCS} documents"),
        ),
    ] {
        let output = dedupsum()
            .arg(command)
            .arg(&input)
            .arg("--out")
            .arg(tmp.path().join(out))
            .env("TERM", "xterm")
            .output()
            .unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        // The final summary line alone: no frame, no escape sequence, no carriage return.
        assert_eq!(stderr.lines().count(), 1, "{command}: {stderr:?}");
        assert!(stderr.starts_with(&said), "{command}: {stderr:?}");
        assert!(stderr.ends_with('\n'), "{command}: {stderr:?}");
        assert!(!stderr.contains(['\r', '\u{1b}']), "{command}: {stderr:?}");
    }
}
