//! `cargo test` alone catches a stale `generated-sdk/` or meta-schema.

#[test]
fn generated_files_match_the_spec() {
    let root = crate::root();
    let files = xtask::files(&root).unwrap_or_else(|e| panic!("{}", e.render()));
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

/// The order the spec's parts arrive in does not change the IR or the output:
/// the api files and named types are shuffled after loading (the loader's
/// own sorting is bypassed), then lowered.
#[test]
fn output_does_not_follow_input_order() {
    let loaded = pims_codegen::load::load_dir(&crate::root().join("spec"));
    let spec = loaded.spec.expect("spec/ loads");
    let forward = pims_codegen::ir::lower(&spec).expect("spec/ lowers");
    let mut shuffled = spec.clone();
    shuffled.apis.reverse();
    let n = shuffled.apis.len();
    shuffled.apis.swap(0, n / 2);
    shuffled.manifest.types.0.reverse();
    for api in &mut shuffled.apis {
        api.types.0.reverse();
    }
    assert_ne!(spec, shuffled, "the shuffle changed the input");
    let backward = pims_codegen::ir::lower(&shuffled).expect("the shuffled spec lowers");
    assert_eq!(forward, backward);
    let settings = crate::settings("spec");
    assert_eq!(
        pims_codegen::sdk_files(&forward, &settings, "x").unwrap(),
        pims_codegen::sdk_files(&backward, &settings, "x").unwrap()
    );
}
