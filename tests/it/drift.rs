//! `cargo test` alone catches a stale `generated-sdk/` or meta-schema.

#[test]
fn generated_files_match_the_spec() {
    let root = crate::root();
    let files = xtask::files(&root)
        .unwrap_or_else(|analysis| panic!("spec/ has errors: {:?}", analysis.diagnostics));
    let drift = pims_codegen::output::drift(&root, &files, &xtask::owned(), xtask::COMMAND)
        .expect("readable");
    assert!(
        drift.is_empty(),
        "generated files differ from spec/:\n{}\nrun `cargo xtask codegen`",
        drift
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = crate::root();
    let a = xtask::files(&root).expect("spec/ checks");
    let b = xtask::files(&root).expect("spec/ checks");
    assert_eq!(a, b);
    for (path, text) in &a {
        assert!(
            pims_codegen::emit::is_ours(path, text.as_bytes(), xtask::COMMAND),
            "{} does not start with this generator's header",
            path.display()
        );
    }
}

/// The input order of api files does not change the output.
#[test]
fn output_does_not_follow_input_order() {
    let spec = crate::root().join("spec");
    let mut files = Vec::new();
    collect(&spec, &spec, &mut files);
    let forward = pims_codegen::analyze_files(&spec, files.clone());
    files.reverse();
    let backward = pims_codegen::analyze_files(&spec, files);
    let (Some(a), Some(b)) = (forward.ir, backward.ir) else {
        panic!("spec/ checks");
    };
    assert_eq!(
        pims_codegen::sdk_files(&a, "x").unwrap(),
        pims_codegen::sdk_files(&b, "x").unwrap()
    );
}

fn collect(
    root: &std::path::Path,
    dir: &std::path::Path,
    out: &mut Vec<(std::path::PathBuf, Vec<u8>)>,
) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push((
                path.strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
}
