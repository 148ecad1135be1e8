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
