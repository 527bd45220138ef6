//! Identity schemas: JSON Schema (draft 2020-12) documents for a user's `payload` (profile
//! attributes the user may edit) and `metadata` (attributes only administrators set: roles,
//! notes, …). Every write path validates against them; errors point into the instance by
//! JSON pointer. The payload schema also generates the registration form.
//!
//! A schema's root must be `{"type": "object", "properties": {...}}`. Schemas are compiled
//! offline: a `$ref` that leaves the document is refused, and no URL or file is ever fetched
//! (a schema is tenant-supplied data, so resolving it must not reach the network).
//!
//! Pure: no I/O, no async.
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};

pub use crate::model::{DEFAULT_METADATA, DEFAULT_PAYLOAD};

/// The only meta-schema accepted in `$schema`.
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

fn text(title: &str, max: u64) -> Value {
    json!({ "type": "string", "title": title, "maxLength": max })
}

fn uri(title: &str) -> Value {
    json!({ "type": "string", "title": title, "format": "uri", "maxLength": 2000 })
}

/// Properties with `"x-register": false` stay off the self-registration form (they can
/// still be set later, by the user or an administrator).
pub const REGISTER_KEYWORD: &str = "x-register";

/// The standard OpenID Connect profile claims (OIDC Core §5.1), all optional. Registration
/// asks only for the names.
static PAYLOAD: LazyLock<Value> = LazyLock::new(|| {
    let mut schema = json!({
        "type": "object",
        "properties": {
            "given_name": text("Given name", 200),
            "family_name": text("Family name", 200),
            "middle_name": text("Middle name", 200),
            "nickname": text("Nickname", 200),
            "preferred_username": text("Preferred username", 200),
            "profile": uri("Profile page"),
            "picture": uri("Picture"),
            "website": uri("Website"),
            "gender": text("Gender", 200),
            "birthdate": {
                "type": "string",
                "title": "Date of birth",
                "format": "date",
                "maxLength": 200
            },
            "zoneinfo": text("Time zone", 200),
            "locale": text("Locale", 200),
        },
        "additionalProperties": false,
    });
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, p) in props.iter_mut() {
            if !matches!(name.as_str(), "given_name" | "family_name")
                && let Some(p) = p.as_object_mut()
            {
                p.insert(REGISTER_KEYWORD.into(), Value::Bool(false));
            }
        }
    }
    schema
});

static METADATA: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "type": "object",
        "properties": {
            "roles": {
                "type": "array",
                "title": "Roles",
                "uniqueItems": true,
                "items": { "type": "string", "minLength": 1, "maxLength": 64 }
            },
            "admin_notes": { "type": "string", "title": "Notes", "maxLength": 4000 },
        },
        "additionalProperties": true,
    })
});

/// The built-in schemas (cannot be changed or deleted): by id.
pub fn builtin(id: &str) -> Option<&'static Value> {
    match id {
        DEFAULT_PAYLOAD => Some(&PAYLOAD),
        DEFAULT_METADATA => Some(&METADATA),
        _ => None,
    }
}

/// One problem with a schema or an instance. `pointer` is a JSON pointer (RFC 6901) into
/// the document that was checked: the schema for [`compile`], the instance for
/// [`Compiled::validate`] and [`Compiled::from_form`]; `""` is the root. `message` reads
/// after the field's name: "is required", "must be at most 200 characters".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub pointer: String,
    /// Serialised as `detail`, like the members of a problem document's `errors`.
    #[serde(rename = "detail")]
    pub message: String,
}

fn field_error(pointer: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// RFC 6901 §3: `~` and `/` in a reference token are escaped.
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A schema checked and compiled, with the document it came from.
#[derive(Clone)]
pub struct Compiled {
    validator: jsonschema::Validator,
    source: Value,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Every `$ref` / `$dynamicRef` string in the document, with its pointer into the schema.
fn references<'a>(v: &'a Value, at: &str, found: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let here = format!("{at}/{}", pointer_token(k));
                match x.as_str() {
                    Some(r) if k == "$ref" || k == "$dynamicRef" => found.push((here, r)),
                    _ => references(x, &here, found),
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                references(x, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

fn has_anchor(v: &Value, name: &str) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, x)| {
            ((k == "$anchor" || k == "$dynamicAnchor") && x.as_str() == Some(name))
                || has_anchor(x, name)
        }),
        Value::Array(a) => a.iter().any(|x| has_anchor(x, name)),
        _ => false,
    }
}

/// Whether a `#…` reference names something in the document: the root, a JSON pointer or
/// an anchor. Used only to say which `$ref` broke a build.
fn resolves(schema: &Value, reference: &str) -> bool {
    match reference.strip_prefix('#') {
        Some("") => true,
        Some(p) if p.starts_with('/') => schema.pointer(p).is_some(),
        Some(anchor) => has_anchor(schema, anchor),
        None => false,
    }
}

/// The root must be an object schema with `properties`, in draft 2020-12.
fn shape_errors(schema: &Value) -> Vec<FieldError> {
    let Some(root) = schema.as_object() else {
        return vec![field_error("", "the schema must be a JSON object")];
    };
    let mut errors = vec![];
    if root.get("type").and_then(Value::as_str) != Some("object") {
        errors.push(field_error("/type", "must be \"object\""));
    }
    if !root.get("properties").is_some_and(Value::is_object) {
        errors.push(field_error(
            "/properties",
            "must be an object of property schemas",
        ));
    }
    if let Some(s) = root.get("$schema")
        && s.as_str().map(|s| s.trim_end_matches('#')) != Some(DRAFT_2020_12)
    {
        errors.push(field_error(
            "/$schema",
            format!("only JSON Schema draft 2020-12 is supported ({DRAFT_2020_12})"),
        ));
    }
    errors
}

/// Checks that `schema` is a valid JSON Schema (draft 2020-12) whose root is an object
/// schema with `properties`, and compiles it with `format` assertions on.
///
/// Errors carry pointers into the schema document. A `$ref` to anything outside the document
/// is refused, and the compiler runs offline, so nothing is ever fetched.
pub fn compile(schema: &Value) -> Result<Compiled, Vec<FieldError>> {
    let mut errors = shape_errors(schema);
    let mut refs = vec![];
    references(schema, "", &mut refs);
    // Nothing is ever fetched (the compiler below is offline too); refusing here names the
    // offending `$ref`.
    errors.extend(
        refs.iter()
            .filter(|(_, r)| !r.starts_with('#'))
            .map(|(at, _)| {
                field_error(
                    at.clone(),
                    "must point inside this schema (#…): external references are not allowed",
                )
            }),
    );
    // Every meta-schema violation at once; `build` alone would stop at the first.
    errors.extend(
        jsonschema::draft202012::meta::validator()
            .iter_errors(schema)
            .flat_map(|e| {
                let keyword = e
                    .instance_path()
                    .as_str()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                match e.kind() {
                    ValidationErrorKind::AnyOf { .. } if keyword == "type" => vec![field_error(
                        e.instance_path().as_str(),
                        "must be one of string, number, integer, boolean, object, array, null",
                    )],
                    _ => errors_for(&e),
                }
            }),
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .offline()
        .build(schema)
        .map_err(|e| match e.kind() {
            // The library reports a dangling reference at the root: find the `$ref`.
            ValidationErrorKind::Referencing(_) => {
                match refs.iter().find(|(_, r)| !resolves(schema, r)) {
                    Some((at, _)) => vec![field_error(
                        at.clone(),
                        "does not point to anything in this schema",
                    )],
                    None => errors_for(&e),
                }
            }
            // A bad regex and the like: the pointer is the keyword in the schema.
            _ => errors_for(&e),
        })?;
    Ok(Compiled {
        validator,
        source: schema.clone(),
    })
}

/// "a string", "a whole number or null", …
fn type_names(kind: &TypeKind) -> String {
    let name = |t: jsonschema::JsonType| match t {
        jsonschema::JsonType::Array => "a list",
        jsonschema::JsonType::Boolean => "true or false",
        jsonschema::JsonType::Integer => "a whole number",
        jsonschema::JsonType::Null => "null",
        jsonschema::JsonType::Number => "a number",
        jsonschema::JsonType::Object => "an object",
        jsonschema::JsonType::String => "a string",
    };
    match kind {
        TypeKind::Single(t) => name(*t).to_owned(),
        TypeKind::Multiple(set) => set.iter().map(name).collect::<Vec<_>>().join(" or "),
    }
}

/// A JSON value as a person would write it in a sentence: strings without quotes.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Plain-English errors for one validation error, at pointers into the instance. Missing and
/// unexpected properties are reported at the property itself, not at the parent object, so a
/// form can show them beside the field. Messages never repeat the submitted value.
fn errors_for(e: &jsonschema::ValidationError<'_>) -> Vec<FieldError> {
    let at = e.instance_path().as_str();
    let one = |message: String| vec![field_error(at, message)];
    match e.kind() {
        ValidationErrorKind::Required { property } => {
            vec![field_error(
                format!("{at}/{}", pointer_token(&plain(property))),
                "is required",
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|p| {
                field_error(
                    format!("{at}/{}", pointer_token(p)),
                    "is not an allowed field",
                )
            })
            .collect(),
        ValidationErrorKind::Type { kind } => one(format!("must be {}", type_names(kind))),
        ValidationErrorKind::Format { format } => one(match format.as_str() {
            "email" | "idn-email" => "must be a valid email address".into(),
            "date" => "must be a date (YYYY-MM-DD)".into(),
            "date-time" => "must be a date and time (RFC 3339)".into(),
            "time" => "must be a time (HH:MM:SS)".into(),
            "uri" | "iri" => "must be a full URL, such as https://example.com/".into(),
            "hostname" | "idn-hostname" => "must be a host name".into(),
            "ipv4" | "ipv6" => "must be an IP address".into(),
            "uuid" => "must be a UUID".into(),
            "regex" => "must be a valid regular expression".into(),
            other => format!("must be a valid {other}"),
        }),
        ValidationErrorKind::Enum { options } => {
            let list: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(plain).collect())
                .unwrap_or_default();
            one(format!("must be one of: {}", list.join(", ")))
        }
        ValidationErrorKind::Constant { expected_value } => {
            one(format!("must be {}", plain(expected_value)))
        }
        ValidationErrorKind::MinLength { limit: 1 } => one("must not be empty".into()),
        ValidationErrorKind::MinLength { limit } => one(format!(
            "must be at least {}",
            plural(*limit, "character", "characters")
        )),
        ValidationErrorKind::MaxLength { limit } => one(format!(
            "must be at most {}",
            plural(*limit, "character", "characters")
        )),
        ValidationErrorKind::Minimum { limit } => one(format!("must be at least {limit}")),
        ValidationErrorKind::Maximum { limit } => one(format!("must be at most {limit}")),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            one(format!("must be greater than {limit}"))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            one(format!("must be less than {limit}"))
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            one(format!("must be a multiple of {multiple_of}"))
        }
        ValidationErrorKind::MinItems { limit } => one(format!(
            "must have at least {}",
            plural(*limit, "item", "items")
        )),
        ValidationErrorKind::MaxItems { limit } => one(format!(
            "must have at most {}",
            plural(*limit, "item", "items")
        )),
        ValidationErrorKind::MinProperties { limit } => one(format!(
            "must have at least {}",
            plural(*limit, "field", "fields")
        )),
        ValidationErrorKind::MaxProperties { limit } => one(format!(
            "must have at most {}",
            plural(*limit, "field", "fields")
        )),
        ValidationErrorKind::UniqueItems => one("must not contain duplicates".into()),
        ValidationErrorKind::Pattern { .. } => one("is not in the expected format".into()),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            one("does not match any of the allowed forms".into())
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            one("matches more than one of the allowed forms".into())
        }
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => {
            one("is not allowed".into())
        }
        // The rest (contains, content encoding, …) is rare in identity schemas: the
        // library's wording, with the value masked.
        _ => one(e.masked_with("the value").to_string()),
    }
}

/// One top-level property as a plain HTML form control.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormField {
    pub name: String,
    /// The schema's `title`, else the name humanised (`given_name` → "Given name").
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// The schema's `description`.
    pub help: Option<String>,
    pub max_length: Option<u64>,
    /// The `enum` values, for [`FieldKind::Select`]; as the form submits them.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Email,
    Tel,
    Date,
    Number,
    Integer,
    Checkbox,
    Select,
}

/// `given_name` → "Given name".
fn humanise(name: &str) -> String {
    let spaced = name.replace(['_', '-'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The property's type: `"string"`, or the first non-null one of `["string", "null"]`.
fn type_of(property: &Value) -> Option<&str> {
    match property.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

impl Compiled {
    /// The schema document as given to [`compile`].
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// Validates `instance`, reporting every error with a pointer into the instance (a
    /// missing required property is reported at the property, e.g. `/birthdate`).
    pub fn validate(&self, instance: &Value) -> Result<(), Vec<FieldError>> {
        let errors: Vec<FieldError> = self
            .validator
            .iter_errors(instance)
            .flat_map(|e| errors_for(&e))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn properties(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.source
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }

    fn is_required(&self, name: &str) -> bool {
        self.source
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
    }

    /// The top-level properties a plain HTML form can show, in schema order. Nested objects,
    /// arrays and properties without a simple type are left out (they are still validated).
    pub fn form_fields(&self) -> Vec<FormField> {
        self.properties()
            .filter_map(|(name, p)| {
                let options: Vec<String> = p
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(plain).collect())
                    .unwrap_or_default();
                let format = p.get("format").and_then(Value::as_str);
                let kind = match (type_of(p), format) {
                    (Some("object" | "array"), _) => return None,
                    _ if !options.is_empty() => FieldKind::Select,
                    (Some("string"), Some("email" | "idn-email")) => FieldKind::Email,
                    (Some("string"), Some("date")) => FieldKind::Date,
                    (Some("string"), Some("phone")) => FieldKind::Tel,
                    (Some("string"), _) if name == "phone_number" => FieldKind::Tel,
                    (Some("string"), _) => FieldKind::Text,
                    (Some("integer"), _) => FieldKind::Integer,
                    (Some("number"), _) => FieldKind::Number,
                    (Some("boolean"), _) => FieldKind::Checkbox,
                    _ => return None,
                };
                Some(FormField {
                    name: name.clone(),
                    label: p
                        .get("title")
                        .and_then(Value::as_str)
                        .map_or_else(|| humanise(name), str::to_owned),
                    kind,
                    required: self.is_required(name),
                    help: p
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    max_length: p.get("maxLength").and_then(Value::as_u64),
                    options,
                })
            })
            .collect()
    }

    /// Whether self-registration asks for the property (`"x-register": false` says no).
    pub fn on_registration_form(&self, name: &str) -> bool {
        self.properties()
            .find(|(n, _)| *n == name)
            .and_then(|(_, p)| p.get(REGISTER_KEYWORD))
            != Some(&Value::Bool(false))
    }

    /// The fields the self-registration form shows: the form fields not marked
    /// `"x-register": false`. Registration reads exactly these and refuses any other.
    pub fn registration_fields(&self) -> Vec<FormField> {
        self.form_fields()
            .into_iter()
            .filter(|f| self.on_registration_form(&f.name))
            .collect()
    }

    /// Turns submitted form pairs into a JSON object per the schema's top-level properties,
    /// then validates it. Integers and numbers are parsed (a bad one is an error at its
    /// pointer); a checkbox is `true` when sent as "on", "true" or "1" and `false` when
    /// absent; strings are trimmed and empty ones omitted; a select takes the `enum` value
    /// whose text was sent (so non-string enums work). Names not in the schema are ignored;
    /// the first pair for a name wins. Returns the object or every error.
    pub fn from_form(
        &self,
        pairs: &[(String, String)],
    ) -> Result<Map<String, Value>, Vec<FieldError>> {
        self.from_form_fields(pairs, &self.form_fields())
    }

    /// [`Compiled::from_form`] reading only `fields` (e.g. [`Compiled::registration_fields`]):
    /// a property that is not among them is never taken from the form.
    pub fn from_form_fields(
        &self,
        pairs: &[(String, String)],
        fields: &[FormField],
    ) -> Result<Map<String, Value>, Vec<FieldError>> {
        let sent = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut out = Map::new();
        let mut errors = vec![];
        for f in fields.iter().cloned() {
            let pointer = format!("/{}", pointer_token(&f.name));
            if f.kind == FieldKind::Checkbox {
                let on = sent(&f.name).is_some_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "on" | "true" | "1")
                });
                out.insert(f.name, Value::Bool(on));
                continue;
            }
            let Some(raw) = sent(&f.name) else { continue };
            let value = match f.kind {
                FieldKind::Integer => match raw.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => {
                        errors.push(field_error(pointer, "must be a whole number"));
                        continue;
                    }
                },
                FieldKind::Number => match raw.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => match raw
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                    {
                        Some(n) => Value::Number(n),
                        None => {
                            errors.push(field_error(pointer, "must be a number"));
                            continue;
                        }
                    },
                },
                FieldKind::Select => self
                    .properties()
                    .find(|(n, _)| **n == f.name)
                    .and_then(|(_, p)| {
                        p.get("enum")?
                            .as_array()?
                            .iter()
                            .find(|o| plain(o) == raw)
                            .cloned()
                    })
                    .unwrap_or_else(|| Value::String(raw.to_owned())),
                _ => Value::String(raw.to_owned()),
            };
            out.insert(f.name, value);
        }
        // A value that did not parse was left out: its "is required" would say the same twice.
        let unparsed: Vec<String> = errors.iter().map(|e| e.pointer.clone()).collect();
        if let Err(invalid) = self.validate(&Value::Object(out.clone())) {
            errors.extend(
                invalid
                    .into_iter()
                    .filter(|e| !unparsed.contains(&e.pointer)),
            );
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom() -> Compiled {
        compile(&json!({
            "type": "object",
            "properties": {
                "given_name": { "type": "string", "title": "Given name", "maxLength": 50 },
                "plan": { "type": "string", "enum": ["free", "plus"] },
                "age": { "type": "integer", "minimum": 18 },
                "newsletter": { "type": "boolean" },
                "contact": { "type": "string", "format": "email", "description": "We write here." },
                "birthdate": { "type": "string", "format": "date" },
                "phone_number": { "type": "string" },
                "seats": { "enum": [1, 5, 10] },
                "score": { "type": "number" },
                "address": { "type": "object", "properties": { "city": { "type": "string" } } },
                "tags": { "type": "array", "items": { "type": "string" } }
            },
            "required": ["given_name", "birthdate"]
        }))
        .unwrap()
    }

    fn pointers(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.pointer.as_str()).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn builtins_compile_and_validate() {
        let p = compile(builtin(DEFAULT_PAYLOAD).unwrap()).unwrap();
        assert!(
            p.validate(&json!({ "given_name": "Alice", "website": "https://example.com/" }))
                .is_ok()
        );
        let e = p.validate(&json!({ "shoe_size": 44 })).unwrap_err();
        assert_eq!(
            e,
            vec![field_error("/shoe_size", "is not an allowed field")]
        );
        let e = p
            .validate(&json!({ "birthdate": "yesterday", "website": "example" }))
            .unwrap_err();
        let mut at = pointers(&e);
        at.sort_unstable();
        assert_eq!(at, vec!["/birthdate", "/website"]);
        let long = "x".repeat(201);
        let e = p.validate(&json!({ "nickname": long })).unwrap_err();
        assert_eq!(
            e,
            vec![field_error("/nickname", "must be at most 200 characters")]
        );

        let m = compile(builtin(DEFAULT_METADATA).unwrap()).unwrap();
        assert!(
            m.validate(&json!({ "roles": ["a", "b"], "anything": 1 }))
                .is_ok()
        );
        assert_eq!(
            m.validate(&json!({ "roles": ["a", "a"] })).unwrap_err(),
            vec![field_error("/roles", "must not contain duplicates")]
        );
        assert_eq!(
            m.validate(&json!({ "roles": [""] })).unwrap_err(),
            vec![field_error("/roles/0", "must not be empty")]
        );
        assert!(builtin("other").is_none());
    }

    #[test]
    fn errors_point_into_the_instance() {
        let e = custom()
            .validate(&json!({ "given_name": 7, "plan": "gold", "age": 12, "contact": "nope", "newsletter": "yes" }))
            .unwrap_err();
        let by_pointer = |p: &str| {
            e.iter()
                .find(|e| e.pointer == p)
                .map(|e| e.message.as_str())
        };
        assert_eq!(by_pointer("/given_name"), Some("must be a string"));
        assert_eq!(by_pointer("/plan"), Some("must be one of: free, plus"));
        assert_eq!(by_pointer("/age"), Some("must be at least 18"));
        assert_eq!(
            by_pointer("/contact"),
            Some("must be a valid email address")
        );
        assert_eq!(by_pointer("/newsletter"), Some("must be true or false"));
        assert_eq!(by_pointer("/birthdate"), Some("is required"));
        assert_eq!(e.len(), 6, "{e:?}");
        assert!(custom().validate(&json!({ "given_name": "Ann", "birthdate": "1990-01-02", "contact": "ann@example.com" })).is_ok());
        // Nested values are validated too, with their full pointer.
        let e = custom().validate(&json!({ "given_name": "Ann", "birthdate": "1990-01-02", "address": { "city": 1 } })).unwrap_err();
        assert_eq!(pointers(&e), vec!["/address/city"]);
    }

    #[test]
    fn bad_schemas_are_refused_with_pointers_into_the_schema() {
        let e = compile(&json!({ "type": "object", "properties": { "a": { "type": "bogus" } } }))
            .unwrap_err();
        assert_eq!(pointers(&e), vec!["/properties/a/type"]);
        let e = compile(&json!({ "type": "string" })).unwrap_err();
        assert_eq!(pointers(&e), vec!["/type", "/properties"]);
        assert_eq!(pointers(&compile(&json!([1])).unwrap_err())[0], "");
        let e = compile(&json!({ "type": "object", "properties": { "a": { "$ref": "https://example.com/s.json" } } })).unwrap_err();
        assert_eq!(pointers(&e), vec!["/properties/a/$ref"]);
        let e = compile(
            &json!({ "type": "object", "properties": { "a": { "$ref": "file:///etc/passwd" } } }),
        )
        .unwrap_err();
        assert_eq!(pointers(&e), vec!["/properties/a/$ref"]);
        let e = compile(
            &json!({ "$schema": "https://example.com/meta", "type": "object", "properties": {} }),
        )
        .unwrap_err();
        assert_eq!(pointers(&e), vec!["/$schema"]);
        let e = compile(&json!({ "type": "object", "properties": { "a": { "type": "string", "maxLength": -1 } } })).unwrap_err();
        assert_eq!(pointers(&e), vec!["/properties/a/maxLength"]);
        // Internal references resolve; dangling ones and bad patterns are refused.
        let ok = json!({
            "$schema": DRAFT_2020_12,
            "type": "object",
            "$defs": { "code": { "type": "string", "pattern": "^[A-Z]{3}$" } },
            "properties": { "a": { "$ref": "#/$defs/code" } }
        });
        let c = compile(&ok).unwrap();
        assert_eq!(c.source(), &ok);
        assert_eq!(
            c.validate(&json!({ "a": "abc" })).unwrap_err(),
            vec![field_error("/a", "is not in the expected format")]
        );
        assert!(
            compile(
                &json!({ "type": "object", "properties": { "a": { "$ref": "#/$defs/nope" } } })
            )
            .is_err()
        );
        let e = compile(&json!({ "type": "object", "properties": { "a": { "type": "string", "pattern": "(" } } })).unwrap_err();
        assert_eq!(
            e,
            vec![field_error(
                "/properties/a/pattern",
                "must be a valid regular expression"
            )]
        );
    }

    #[test]
    fn form_fields_follow_the_schema() {
        let f = custom().form_fields();
        let kinds: Vec<(&str, FieldKind, bool)> = f
            .iter()
            .map(|f| (f.name.as_str(), f.kind, f.required))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("given_name", FieldKind::Text, true),
                ("plan", FieldKind::Select, false),
                ("age", FieldKind::Integer, false),
                ("newsletter", FieldKind::Checkbox, false),
                ("contact", FieldKind::Email, false),
                ("birthdate", FieldKind::Date, true),
                ("phone_number", FieldKind::Tel, false),
                ("seats", FieldKind::Select, false),
                ("score", FieldKind::Number, false),
            ]
        );
        assert_eq!(f[0].label, "Given name");
        assert_eq!(f[0].max_length, Some(50));
        assert_eq!(f[2].label, "Age");
        assert_eq!(f[6].label, "Phone number");
        assert_eq!(f[1].options, vec!["free", "plus"]);
        assert_eq!(f[7].options, vec!["1", "5", "10"]);
        assert_eq!(f[4].help.as_deref(), Some("We write here."));
        assert_eq!(f[3].help, None);

        let payload = compile(builtin(DEFAULT_PAYLOAD).unwrap())
            .unwrap()
            .form_fields();
        assert_eq!(payload.len(), 12);
        assert!(payload.iter().all(|f| !f.required));
        assert_eq!(
            payload
                .iter()
                .find(|f| f.name == "birthdate")
                .map(|f| f.kind),
            Some(FieldKind::Date)
        );
        assert_eq!(
            payload
                .iter()
                .find(|f| f.name == "website")
                .map(|f| f.max_length),
            Some(Some(2000))
        );
        // Metadata: roles is an array, so only the notes are a form field.
        let meta = compile(builtin(DEFAULT_METADATA).unwrap())
            .unwrap()
            .form_fields();
        assert_eq!(
            meta.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            vec!["admin_notes"]
        );
    }

    #[test]
    fn from_form_types_and_validates() {
        let ok = custom()
            .from_form(&pairs(&[
                ("given_name", " Ann "),
                ("age", "30"),
                ("newsletter", "on"),
                ("birthdate", "1990-01-02"),
                ("contact", "  "),
                ("seats", "5"),
                ("score", "2.5"),
                ("plan", "plus"),
                ("not_in_schema", "x"),
            ]))
            .unwrap();
        assert_eq!(
            Value::Object(ok),
            json!({ "given_name": "Ann", "age": 30, "newsletter": true, "birthdate": "1990-01-02", "seats": 5, "score": 2.5, "plan": "plus" })
        );
        let ok = custom()
            .from_form(&pairs(&[
                ("given_name", "Ann"),
                ("birthdate", "1990-01-02"),
                ("score", "3"),
            ]))
            .unwrap();
        assert_eq!(
            Value::Object(ok),
            json!({ "given_name": "Ann", "birthdate": "1990-01-02", "newsletter": false, "score": 3 })
        );

        let e = custom()
            .from_form(&pairs(&[
                ("given_name", "Ann"),
                ("age", "old"),
                ("score", "NaN"),
            ]))
            .unwrap_err();
        assert_eq!(
            e,
            vec![
                field_error("/age", "must be a whole number"),
                field_error("/score", "must be a number"),
                field_error("/birthdate", "is required"),
            ]
        );
        let e = custom()
            .from_form(&pairs(&[
                ("given_name", ""),
                ("birthdate", "2/1/1990"),
                ("age", "3"),
                ("plan", "gold"),
                ("contact", "x"),
            ]))
            .unwrap_err();
        assert_eq!(
            pointers(&e),
            vec!["/given_name", "/plan", "/age", "/contact", "/birthdate"]
        );
    }
}
