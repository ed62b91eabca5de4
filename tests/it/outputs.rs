//! The output policy (issue 14, items 6-11): special files and links as `--out`,
//! temporaries nobody can predict, a locked output directory, an all-or-nothing commit,
//! signals, a closed stderr and the outputs of an earlier run.

use std::ffi::CString;
use std::fs;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::util::{corpus, file_names};

/// The six outputs of `run`.
const RUN_OUTPUTS: [&str; 7] = [
    "clean.jsonl",
    "documents.csv",
    "duplicates.csv",
    "errors.csv",
    "paragraphs.csv",
    "report.json",
    "summaries.csv",
];

fn bin() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("dedupsum"))
}

/// Runs `command`, checks that it exits with code 1, and returns its stderr.
fn fails_with_code_1(command: &mut Command) -> String {
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    stderr
}

fn mkfifo(path: &Path) {
    let name = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `name` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

/// Waits until `dir` holds at least one entry.
fn wait_for_entry(dir: &Path) {
    let start = Instant::now();
    while fs::read_dir(dir).unwrap().count() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nothing appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn out_fifo_is_written_through_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("summaries.csv");
    mkfifo(&fifo);
    let (sent, received) = mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let mut text = String::new();
        let read = fs::File::open(&reader_path).and_then(|mut f| f.read_to_string(&mut text));
        let _ = sent.send(read.map(|_| text));
    });
    let output = bin()
        .args(["summarize", "-q", "--out"])
        .arg(&fifo)
        .arg(corpus())
        .output()
        .unwrap();
    let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by {kind:?}");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = received
        .recv_timeout(Duration::from_secs(30))
        .unwrap()
        .unwrap();
    assert!(text.starts_with("doc_id,title,summary,"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    assert_eq!(
        file_names(tmp.path()),
        ["summaries.csv"],
        "a temporary was left"
    );
}

#[test]
fn out_symlink_to_a_file_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real.csv");
    fs::write(&real, "old\n").unwrap();
    let link = tmp.path().join("s.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let stderr = fails_with_code_1(
        bin()
            .args(["summarize", "-q", "--out"])
            .arg(&link)
            .arg(corpus()),
    );
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), "old\n");
    assert_eq!(file_names(tmp.path()), ["real.csv", "s.csv"]);
}

#[test]
fn planted_links_at_temporary_names_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, spool) = (tmp.path().join("out"), tmp.path().join("spool"));
    fs::create_dir(&out).unwrap();
    fs::create_dir(&spool).unwrap();
    let victim = tmp.path().join("victim.txt");
    fs::write(&victim, "precious\n").unwrap();
    let mut child = bin()
        .env("TMPDIR", &spool)
        .args(["run", "-q", "-", "--out"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The names the temporaries used to get (`.NAME.<pid>.tmp`), planted while the run
    // still waits for its input.
    let pid = child.id();
    for name in RUN_OUTPUTS {
        let planted = out.join(format!(".{name}.{pid}.tmp"));
        std::os::unix::fs::symlink(&victim, planted).unwrap();
    }
    let planted = spool.join(format!(".dedupsum-stdin.{pid}.tmp"));
    std::os::unix::fs::symlink(&victim, planted).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"{\"id\":\"a\",\"text\":\"Harga beras naik di pasar.\"}\n")
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        fs::read_to_string(&victim).unwrap(),
        "precious\n",
        "the run wrote through a planted link"
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for name in RUN_OUTPUTS {
        let kind = fs::symlink_metadata(out.join(name)).unwrap().file_type();
        assert!(kind.is_file(), "{name} is {kind:?}");
    }
}

#[test]
fn a_run_into_a_directory_another_run_holds_fails_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    // What a run writing into `out` holds: a lock on the directory.
    let held = fs::File::open(&out).unwrap();
    use std::os::fd::AsRawFd;
    // SAFETY: `held` is an open file descriptor.
    let locked = unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(locked, 0);
    let output = bin()
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(corpus())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("another dedupsum run"), "{stderr}");
    assert!(file_names(&out).is_empty(), "{:?}", file_names(&out));
    drop(held);
    let output = bin()
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(file_names(&out), RUN_OUTPUTS);
}

#[test]
fn an_out_that_is_a_file_is_refused_before_the_inputs_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notes.txt");
    fs::write(&out, "mine").unwrap();
    for command in ["run", "dedup"] {
        // The input is missing too: the --out is refused first, before any reading.
        let stderr = fails_with_code_1(
            bin()
                .args([command, "-q", "--out"])
                .arg(&out)
                .arg(tmp.path().join("missing.jsonl")),
        );
        assert!(
            stderr.contains("notes.txt: exists and is not a directory"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "mine");
    }
}

#[test]
fn a_target_that_cannot_be_replaced_leaves_the_old_set_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let first = bin()
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0));
    fs::remove_file(out.join("report.json")).unwrap();
    fs::create_dir_all(out.join("report.json").join("x")).unwrap();
    let before: Vec<(u64, Vec<u8>)> = RUN_OUTPUTS
        .iter()
        .filter(|name| **name != "report.json")
        .map(|name| {
            let path = out.join(name);
            (fs::metadata(&path).unwrap().ino(), fs::read(&path).unwrap())
        })
        .collect();
    let second = bin()
        .args(["run", "-q", "--sentences", "1", "--out"])
        .arg(&out)
        .arg(corpus())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("report.json"), "{stderr}");
    let after: Vec<(u64, Vec<u8>)> = RUN_OUTPUTS
        .iter()
        .filter(|name| **name != "report.json")
        .map(|name| {
            let path = out.join(name);
            (fs::metadata(&path).unwrap().ino(), fs::read(&path).unwrap())
        })
        .collect();
    assert!(before == after, "outputs were replaced by a failed run");
    assert_eq!(file_names(&out), RUN_OUTPUTS, "temporaries were left");
}

#[test]
fn sigterm_and_sighup_remove_temporaries_and_exit_130() {
    for signal in ["TERM", "HUP"] {
        let tmp = tempfile::tempdir().unwrap();
        let (out, spool) = (tmp.path().join("out"), tmp.path().join("spool"));
        fs::create_dir(&spool).unwrap();
        // Standard input stays open: the run is still spooling it (`dedup` reads it twice)
        // when the signal comes.
        let mut child = bin()
            .env("TMPDIR", &spool)
            .args(["dedup", "-", "--out"])
            .arg(&out)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"{\"id\":\"a\",\"text\":\"Satu.\"}\n")
            .unwrap();
        wait_for_entry(&spool);
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130), "SIG{signal}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
        assert_eq!(file_names(&spool), Vec::<String>::new(), "SIG{signal}");
        assert!(!out.exists(), "SIG{signal} left {out:?}");
        drop(stdin);
    }
}

#[test]
fn a_failed_write_removes_the_output_directory_it_created() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new").join("out");
    let mut command = bin();
    command.args(["run", "-q", "--out"]).arg(&out).arg(corpus());
    // A file may grow to 2 KB only (a full disk, as far as the run can tell).
    // SAFETY: `signal` and `setrlimit` are async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 2048,
                rlim_max: 2048,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert!(
        !tmp.path().join("new").exists(),
        "the output directory was left"
    );
}

/// Runs dedupsum with `args`, its standard error a pipe nobody reads (closed before the
/// run starts), and returns the exit code.
fn code_with_closed_stderr(args: &[&std::ffi::OsStr]) -> Option<i32> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe` writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: `pipe` just opened both descriptors and nothing else owns them.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    bin()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::from(write))
        .status()
        .unwrap()
        .code()
}

#[test]
fn a_closed_stderr_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nonexist");
    let out = tmp.path().join("out");
    let args = [
        "run".as_ref(),
        missing.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    assert_eq!(code_with_closed_stderr(&args), Some(1));
    let corpus = corpus();
    let args = [
        "run".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    assert_eq!(code_with_closed_stderr(&args), Some(0));
    assert_eq!(file_names(&out), RUN_OUTPUTS);
}

#[test]
fn outputs_of_an_earlier_run_that_this_run_does_not_write_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |args: &[&str]| {
        let output = bin()
            .args(args)
            .arg("-q")
            .arg("--out")
            .arg(&out)
            .arg(corpus())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
    };
    run(&["run"]);
    fs::write(out.join("notes.txt"), "mine\n").unwrap();
    fs::create_dir(out.join("plots")).unwrap();
    run(&["dedup"]);
    assert_eq!(
        file_names(&out),
        [
            "clean.jsonl",
            "documents.csv",
            "duplicates.csv",
            "errors.csv",
            "notes.txt",
            "paragraphs.csv",
            "plots",
            "report.json"
        ]
    );
    run(&["run", "--format", "jsonl"]);
    assert_eq!(
        file_names(&out),
        [
            "clean.jsonl",
            "documents.jsonl",
            "duplicates.jsonl",
            "errors.jsonl",
            "notes.txt",
            "paragraphs.jsonl",
            "plots",
            "report.json",
            "summaries.jsonl"
        ]
    );
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine\n");
}

/// The report, which nothing flushes on the way, written through a link to a full device:
/// the failed write at its close fails the run, and no other output is put in place.
#[test]
fn a_report_that_cannot_be_written_fails_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink("/dev/full", out.join("report.json")).unwrap();
    let stderr = fails_with_code_1(bin().args(["dedup", "-q", "--out"]).arg(&out).arg(corpus()));
    assert!(
        stderr.contains("report.json: No space left on device"),
        "{stderr}"
    );
    assert_eq!(file_names(&out), ["report.json"]);
}

/// Summaries as JSON Lines on a standard output that is a full device: the last flush
/// fails, and so does the run.
#[test]
fn summaries_on_a_full_standard_output_fail_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("news.jsonl");
    fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Harga beras naik di pasar. Petani senang sekali.\"}\n",
    )
    .unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let stderr = fails_with_code_1(
        bin()
            .args(["summarize", "-q", "--format", "jsonl", "--out", "-"])
            .arg(&input)
            .stdout(full),
    );
    assert!(stderr.contains("-: No space left on device"), "{stderr}");
}
