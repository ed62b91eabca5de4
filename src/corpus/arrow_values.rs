//! Values of Arrow arrays as the readers and `clean.jsonl` need them: strings of any
//! string type (dictionary-encoded too), ids, and any value as JSON. Written by hand
//! rather than with `arrow-cast`, whose build costs more than the rest of Arrow's.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{downcast_dictionary_array, Array};
use arrow_schema::{DataType, TimeUnit};

/// Whether a column of type `t` holds strings (dictionary-encoded too).
pub(crate) fn is_string(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, value) => is_string(value),
        _ => false,
    }
}

/// Whether a column of type `t` can be an id: strings and integers.
pub(crate) fn is_id(t: &DataType) -> bool {
    is_string(t) || t.is_integer()
}

/// The string at `row` of a string column; `None` for a null (or a column of another type).
pub(crate) fn str_at(array: &dyn Array, row: usize) -> Option<&str> {
    if array.is_null(row) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(row)),
        DataType::Utf8View => Some(array.as_string_view().value(row)),
        _ => downcast_dictionary_array!(
            array => str_at(array.values().as_ref(), array.key(row)?),
            _ => None
        ),
    }
}

/// The id at `row`: a string as it is, an integer in decimal; `None` for a null.
pub(crate) fn id_at(array: &dyn Array, row: usize) -> Option<String> {
    if array.is_null(row) {
        return None;
    }
    macro_rules! integer {
        ($($variant:ident => $ty:ty),*) => {
            match array.data_type() {
                $(DataType::$variant => {
                    return Some(array.as_primitive::<$ty>().value(row).to_string());
                })*
                _ => {}
            }
        };
    }
    integer!(Int8 => Int8Type, Int16 => Int16Type, Int32 => Int32Type, Int64 => Int64Type,
        UInt8 => UInt8Type, UInt16 => UInt16Type, UInt32 => UInt32Type, UInt64 => UInt64Type);
    str_at(array, row).map(str::to_owned)
}

/// Appends the JSON of `array[row]`: numbers and booleans as JSON's, strings as strings,
/// lists as arrays, structs as objects; dates and times as ISO 8601 text (a timestamp with
/// a time zone with its offset), decimals as their exact digits in a string, binary as
/// hexadecimal text; NaN and the infinities as `"NaN"`, `"inf"`, `"-inf"`.
pub(crate) fn write_json(
    array: &dyn Array,
    row: usize,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    if array.is_null(row) {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    macro_rules! number {
        ($($variant:ident => $ty:ty),*) => {
            match array.data_type() {
                $(DataType::$variant => {
                    return serde_json::to_writer(&mut *out, &array.as_primitive::<$ty>().value(row));
                })*
                _ => {}
            }
        };
    }
    number!(Int8 => Int8Type, Int16 => Int16Type, Int32 => Int32Type, Int64 => Int64Type,
        UInt8 => UInt8Type, UInt16 => UInt16Type, UInt32 => UInt32Type, UInt64 => UInt64Type);
    let text = |s: &str, out: &mut Vec<u8>| serde_json::to_writer(&mut *out, s);
    let float = |f: f64, out: &mut Vec<u8>| match serde_json::Number::from_f64(f) {
        Some(n) => serde_json::to_writer(&mut *out, &n),
        None => serde_json::to_writer(&mut *out, &f.to_string()),
    };
    let time_text = |t: Option<String>, out: &mut Vec<u8>| match t {
        Some(t) => serde_json::to_writer(&mut *out, &t),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    };
    match array.data_type() {
        DataType::Boolean => serde_json::to_writer(&mut *out, &array.as_boolean().value(row)),
        DataType::Float16 => float(array.as_primitive::<Float16Type>().value(row).to_f64(), out),
        DataType::Float32 => float(
            f64::from(array.as_primitive::<Float32Type>().value(row)),
            out,
        ),
        DataType::Float64 => float(array.as_primitive::<Float64Type>().value(row), out),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            text(str_at(array, row).unwrap_or_default(), out)
        }
        DataType::Dictionary(_, _) => downcast_dictionary_array!(
            array => match array.key(row) {
                Some(key) => write_json(array.values().as_ref(), key, out),
                None => {
                    out.extend_from_slice(b"null");
                    Ok(())
                }
            },
            _ => Ok(())
        ),
        DataType::Date32 => time_text(
            array
                .as_primitive::<Date32Type>()
                .value_as_date(row)
                .map(|d| d.to_string()),
            out,
        ),
        DataType::Date64 => time_text(
            array
                .as_primitive::<Date64Type>()
                .value_as_date(row)
                .map(|d| d.to_string()),
            out,
        ),
        DataType::Timestamp(unit, tz) => {
            macro_rules! stamp {
                ($ty:ty) => {{
                    let a = array.as_primitive::<$ty>();
                    match tz.as_deref().map(str::parse::<arrow_array::timezone::Tz>) {
                        Some(Ok(tz)) => {
                            a.value_as_datetime_with_tz(row, tz).map(|t| t.to_rfc3339())
                        }
                        _ => a
                            .value_as_datetime(row)
                            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()),
                    }
                }};
            }
            let t = match unit {
                TimeUnit::Second => stamp!(TimestampSecondType),
                TimeUnit::Millisecond => stamp!(TimestampMillisecondType),
                TimeUnit::Microsecond => stamp!(TimestampMicrosecondType),
                TimeUnit::Nanosecond => stamp!(TimestampNanosecondType),
            };
            time_text(t, out)
        }
        DataType::Time32(TimeUnit::Second) => time_text(
            array
                .as_primitive::<Time32SecondType>()
                .value_as_time(row)
                .map(|t| t.to_string()),
            out,
        ),
        DataType::Time32(_) => time_text(
            array
                .as_primitive::<Time32MillisecondType>()
                .value_as_time(row)
                .map(|t| t.to_string()),
            out,
        ),
        DataType::Time64(TimeUnit::Microsecond) => time_text(
            array
                .as_primitive::<Time64MicrosecondType>()
                .value_as_time(row)
                .map(|t| t.to_string()),
            out,
        ),
        DataType::Time64(_) => time_text(
            array
                .as_primitive::<Time64NanosecondType>()
                .value_as_time(row)
                .map(|t| t.to_string()),
            out,
        ),
        DataType::Decimal128(_, _) => text(
            &array.as_primitive::<Decimal128Type>().value_as_string(row),
            out,
        ),
        DataType::Decimal256(_, _) => text(
            &array.as_primitive::<Decimal256Type>().value_as_string(row),
            out,
        ),
        DataType::Binary => text(&hex(array.as_binary::<i32>().value(row)), out),
        DataType::LargeBinary => text(&hex(array.as_binary::<i64>().value(row)), out),
        DataType::BinaryView => text(&hex(array.as_binary_view().value(row)), out),
        DataType::FixedSizeBinary(_) => text(&hex(array.as_fixed_size_binary().value(row)), out),
        DataType::List(_) => items(array.as_list::<i32>().value(row).as_ref(), out),
        DataType::LargeList(_) => items(array.as_list::<i64>().value(row).as_ref(), out),
        DataType::FixedSizeList(_, _) => items(array.as_fixed_size_list().value(row).as_ref(), out),
        DataType::Struct(fields) => {
            let columns = array.as_struct();
            out.push(b'{');
            for (k, field) in fields.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, field.name())?;
                out.push(b':');
                write_json(columns.column(k).as_ref(), row, out)?;
            }
            out.push(b'}');
            Ok(())
        }
        DataType::Map(_, _) => items(&array.as_map().value(row), out),
        DataType::Null => {
            out.extend_from_slice(b"null");
            Ok(())
        }
        // Durations, intervals, unions and the like: Arrow's debug text of the value.
        other => text(&format!("{other}: {:?}", array.slice(row, 1)), out),
    }
}

/// Appends every value of `array` as a JSON array.
fn items(array: &dyn Array, out: &mut Vec<u8>) -> serde_json::Result<()> {
    out.push(b'[');
    for k in 0..array.len() {
        if k > 0 {
            out.push(b',');
        }
        write_json(array, k, out)?;
    }
    out.push(b']');
    Ok(())
}

/// Lower-case hexadecimal of `bytes`.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}"); // Writing to a String cannot fail.
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder, StringDictionaryBuilder};
    use arrow_array::{
        ArrayRef, Date32Array, Decimal128Array, Float64Array, Int16Array, StringViewArray,
        TimestampSecondArray,
    };
    use std::sync::Arc;

    fn json(array: &dyn Array, row: usize) -> String {
        let mut out = Vec::new();
        write_json(array, row, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_of_every_kind_and_ids() {
        let mut dict = StringDictionaryBuilder::<Int16Type>::new();
        dict.append_value("b");
        dict.append_null();
        dict.append_value("b");
        let dict = dict.finish();
        assert_eq!(str_at(&dict, 2), Some("b"));
        assert_eq!(str_at(&dict, 1), None);
        let view =
            StringViewArray::from(vec![Some("a long enough string to be out of line"), None]);
        assert_eq!(
            str_at(&view, 0),
            Some("a long enough string to be out of line")
        );
        assert_eq!(str_at(&view, 1), None);
        assert_eq!(id_at(&Int16Array::from(vec![-7]), 0).as_deref(), Some("-7"));
        assert_eq!(id_at(&dict, 0).as_deref(), Some("b"));
        assert_eq!(json(&dict, 0), "\"b\"");
        assert_eq!(json(&dict, 1), "null");
        assert!(is_id(&DataType::UInt8) && !is_id(&DataType::Float64));
        assert!(is_string(dict.data_type()));
    }

    #[test]
    fn values_as_json() {
        assert_eq!(json(&Date32Array::from(vec![20089]), 0), "\"2025-01-01\"");
        let stamps = TimestampSecondArray::from(vec![1_735_689_660]);
        assert_eq!(json(&stamps, 0), "\"2025-01-01T00:01:00\"");
        let stamps = stamps.with_timezone("+07:00");
        assert_eq!(json(&stamps, 0), "\"2025-01-01T07:01:00+07:00\"");
        let floats = Float64Array::from(vec![1.5, f64::NAN]);
        assert_eq!(
            (json(&floats, 0), json(&floats, 1)),
            ("1.5".into(), "\"NaN\"".into())
        );
        let decimals = Decimal128Array::from(vec![12345])
            .with_precision_and_scale(7, 2)
            .unwrap();
        assert_eq!(json(&decimals, 0), "\"123.45\"");
        let mut list = ListBuilder::new(StringBuilder::new());
        list.values().append_value("x");
        list.values().append_null();
        list.append(true);
        let list: ArrayRef = Arc::new(list.finish());
        assert_eq!(json(list.as_ref(), 0), "[\"x\",null]");
        let binary = arrow_array::BinaryArray::from(vec![&[0u8, 255][..]]);
        assert_eq!(json(&binary, 0), "\"00ff\"");
    }
}
