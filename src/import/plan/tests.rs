//! Old addresses and unique names.

use super::*;

fn plan_with(link: &str) -> Plan {
    let (origin, prefix) = split_site(link);
    Plan {
        origin,
        prefix,
        ..Plan::default()
    }
}

#[test]
fn old_paths() {
    let plan = plan_with("https://clinic.example");
    assert_eq!(
        old_path(&plan, "https://clinic.example/2019/05/a/").as_deref(),
        Some("2019/05/a/")
    );
    assert_eq!(
        old_path(&plan, "http://www.clinic.example/a").as_deref(),
        Some("a/")
    );
    assert_eq!(old_path(&plan, "/a/#x").as_deref(), Some("a/"));
    assert_eq!(
        old_path(&plan, "https://clinic.example/caf%C3%A9/").as_deref(),
        Some("café/")
    );
    assert_eq!(
        old_path(&plan, "https://clinic.example/").as_deref(),
        Some("")
    );
    assert_eq!(old_path(&plan, "https://clinic.example/?p=12"), None);
    assert_eq!(old_path(&plan, "https://other.example/a/"), None);
    let blog = plan_with("https://clinic.example/blog/");
    assert_eq!(
        old_path(&blog, "https://clinic.example/blog/a/").as_deref(),
        Some("a/")
    );
    assert_eq!(old_path(&blog, "https://clinic.example/shop/"), None);
    assert_eq!(old_path(&blog, "https://clinic.example/blogger/"), None);
}

#[test]
fn unique_names() {
    let mut taken = HashSet::new();
    assert_eq!(unique("a", &mut taken), "a");
    assert_eq!(unique("a", &mut taken), "a-2");
    assert_eq!(unique("a", &mut taken), "a-3");
}
