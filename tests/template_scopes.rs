//! Which value a template reads when a name is in several scopes. The
//! patched Tera (`vendor/tera`, see its `HANDOUT.md`) reads a variable
//! where it is held instead of cloning it; it must find the same value in
//! the same scope as Tera as published: a loop's variable, then a `set`,
//! then the includer's, then the context, then the global context.

use tera::{Context, Tera};

fn render(templates: &[(&str, &str)], context: &Context) -> String {
    let mut tera = Tera::default();
    tera.add_raw_templates(templates.iter().copied())
        .expect("the templates parse");
    tera.render("page", context).expect("the page renders")
}

fn context() -> Context {
    let mut context = Context::new();
    context.insert(
        "page",
        &serde_json::json!({"title": "context", "author": {"name": "Ana"}}),
    );
    context.insert("x", &"context");
    context
}

#[test]
fn a_loop_variable_hides_a_set_one_and_the_context() {
    let page =
        r#"{% set x = "set" %}{% for x in ["loop"] %}{{ x }} {{ x | upper }}{% endfor %} {{ x }}"#;
    assert_eq!(render(&[("page", page)], &context()), "loop LOOP set");
}

#[test]
fn a_set_variable_hides_the_context() {
    let page = r#"{{ page.title }} {% set page = {"title": "set"} %}{{ page.title }} {{ page.title | upper }}"#;
    assert_eq!(render(&[("page", page)], &context()), "context set SET");
}

#[test]
fn a_set_inside_a_loop_hides_the_loop_variable_for_the_rest_of_its_turn() {
    let page = r#"{% for p in [{"name": "a"}, {"name": "b"}] %}{{ p.name }}{% set p = {"name": "z"} %}{{ p.name }} {% endfor %}"#;
    assert_eq!(render(&[("page", page)], &context()), "az bz ");
}

#[test]
fn a_set_inside_a_loop_lasts_one_turn_and_a_set_outside_until_the_next() {
    let page = r#"{% set x = "outer" %}{% for i in [1, 2, 3] %}{{ x }}{% if i == 1 %}{% set x = "turn" %}{{ x }}{% endif %} {% endfor %}{{ x }}{% set x = "again" %} {{ x }}"#;
    assert_eq!(
        render(&[("page", page)], &context()),
        "outerturn outer outer outer again"
    );
}

#[test]
fn an_include_reads_its_includers_loop_and_set_variables_then_the_context() {
    let page = r#"{% set who = {"name": "set"} %}{% for item in [{"name": "one"}, {"name": "two"}] %}{% include "part" %};{% endfor %}"#;
    let part = r#"{{ item.name }} {{ who.name }} {{ page.author.name }} {{ item.name | upper }}"#;
    assert_eq!(
        render(&[("page", page), ("part", part)], &context()),
        "one set Ana ONE;two set Ana TWO;"
    );
}

#[test]
fn loop_counters_and_keys_are_read_as_before() {
    let page = r#"{% for k, v in page.author %}{{ loop.index }}{{ k }}={{ v }}{% endfor %}{% for a in [7, 8] %} {{ loop.index0 }}{{ loop.last }}{% endfor %}"#;
    assert_eq!(
        render(&[("page", page)], &context()),
        "1name=Ana 0false 1true"
    );
}

#[test]
fn a_missing_field_on_the_way_is_still_an_error_naming_it() {
    let mut tera = Tera::default();
    tera.add_raw_template("page", "{{ page.author.missing.name }}")
        .expect("the template parses");
    let error = tera
        .render("page", &context())
        .expect_err("a missing field fails");
    let message = format!("{error:?}");
    assert!(message.contains("missing"), "{message}");
}

/// The patched Tera remembers where in its map each attribute of a path
/// was found, and looks there first; maps that hold a field elsewhere, or
/// not at all, or hold more than a dozen fields, must still read right.
#[test]
fn a_field_is_read_wherever_each_map_holds_it() {
    let big: serde_json::Map<String, serde_json::Value> = (0..20)
        .map(|n| (format!("k{n:02}"), serde_json::json!(n)))
        .chain([
            ("b".to_string(), serde_json::json!("4")),
            ("inner".to_string(), serde_json::json!({"b": "iv"})),
        ])
        .collect();
    let items = serde_json::json!([
        {"a": 0, "b": "1", "inner": {"a": 0, "b": "i"}},
        {"b": "2", "inner": {"b": "ii"}},
        {"0": 0, "a": 0, "b": "3", "inner": {"0": 0, "1": 1, "b": "iii"}},
        big,
        {"a": "not b", "inner": {"a": "not b"}},
        {"b": "6", "c": 0, "inner": {"b": "vi"}},
    ]);
    let mut context = Context::new();
    context.insert("items", &items);
    let page = r#"{% for x in items %}{{ x.b | default(value="-") }} {{ x.inner.b | default(value="-") }} {% set y = x.b | default(value="-") %}{{ y }},{% endfor %}"#;
    assert_eq!(
        render(&[("page", page)], &context),
        "1 i 1,2 ii 2,3 iii 3,4 iv 4,- - -,6 vi 6,"
    );
}

/// A field remembered where another map holds a key of the same length
/// that differs in one letter, wherever that letter is, is not that key.
#[test]
fn a_key_differing_in_one_letter_is_another_key() {
    for len in 1..=20 {
        for at in 0..len {
            let name = "a".repeat(len);
            let mut other = name.clone().into_bytes();
            other[at] = b'b';
            let other = String::from_utf8(other).unwrap();
            let mut context = Context::new();
            context.insert(
                "items",
                &serde_json::json!([{ &name: "one" }, { &other: "two" }]),
            );
            let page = format!(
                r#"{{% for x in items %}}{{{{ x.{name} | default(value="-") }}}},{{% endfor %}}"#
            );
            assert_eq!(
                render(&[("page", &page)], &context),
                "one,-,",
                "{name} and {other}"
            );
        }
    }
}
