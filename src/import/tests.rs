//! The import's options: term maps from the command line and a file.

use super::*;

fn options(map: &[&str], map_file: Option<PathBuf>) -> ImportOptions {
    ImportOptions {
        export: PathBuf::from("export.xml"),
        uploads: None,
        root: PathBuf::from("site"),
        map: map.iter().map(|s| s.to_string()).collect(),
        map_file,
        force: false,
        today: Date::parse("2026-01-05").expect("a date"),
    }
}

#[test]
fn term_maps_from_the_command_line_and_a_file() {
    let map = term_map(&options(
        &["Knee Pain=conditions", "Dry needling = treatment"],
        None,
    ))
    .unwrap();
    assert_eq!(map.get("knee pain"), Some(&TermKind::Conditions));
    assert_eq!(map.get("dry needling"), Some(&TermKind::Treatments));
    let err = term_map(&options(&["Knee pain"], None)).unwrap_err();
    assert!(
        err.to_string()
            .contains("--map: `Knee pain` is not a term and a kind"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("terms.yaml");
    std::fs::write(&file, "Back pain: conditions\nNews: skip\nOdd: colours\n").unwrap();
    let err = term_map(&options(&[], Some(file.clone()))).unwrap_err();
    assert!(
        err.to_string()
            .contains("terms.yaml:3:1: `colours` is not a kind"),
        "{err}"
    );
    std::fs::write(&file, "Back pain: conditions\nNews: skip\n").unwrap();
    let map = term_map(&options(&[], Some(file))).unwrap();
    assert_eq!(map.get("news"), Some(&TermKind::Skip));
}

#[test]
fn uploads_folder_is_found_inside_what_was_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("wp-content/uploads/2019")).unwrap();
    assert_eq!(
        uploads_dir(Some(dir.path())).unwrap(),
        Some(dir.path().join("wp-content/uploads"))
    );
    assert!(uploads_dir(Some(&dir.path().join("nope"))).is_err());
}
