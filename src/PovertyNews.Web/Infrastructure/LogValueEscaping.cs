using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace PovertyNews.Web.Infrastructure;

/// <summary>
/// Escapes control characters (CR, LF, the other C0/C1 controls, the Unicode line and paragraph separators) in every
/// string property of every log event, as <c>\r</c>, <c>\n</c> or <c>\uXXXX</c>. Request paths, queries, file
/// names and the like reach the log as properties; written raw, a <c>%0D%0A</c> in a URL would start a line of its
/// own in the console and the file and could pass for an entry the app never wrote. One enricher, added last, covers
/// every sink and every logger (request logging, the app's own messages) instead of each call site.
/// </summary>
internal sealed class LogValueEscaping : ILogEventEnricher
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c).Append('\u2028').Append('\u2029').ToArray());

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Escape(value) is { } escaped)
            {
                (changed ??= []).Add(new LogEventProperty(name, escaped));
            }
        }
        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its strings escaped, or null when nothing needed escaping (the common case: no allocation).</summary>
    internal static LogEventPropertyValue? Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when text.AsSpan().ContainsAny(Unsafe) => new ScalarValue(EscapeText(text)),
        SequenceValue sequence => EscapeAll(sequence.Elements) is { } elements ? new SequenceValue(elements) : null,
        StructureValue structure => EscapeAll(structure.Properties.Select(p => p.Value).ToList()) is { } values
            ? new StructureValue(structure.Properties.Zip(values, (p, v) => new LogEventProperty(p.Name, v)), structure.TypeTag)
            : null,
        DictionaryValue dictionary => EscapeAll(dictionary.Elements.Select(e => e.Value).ToList()) is { } values
            ? new DictionaryValue(dictionary.Elements.Zip(values, (e, v) =>
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(Escape(e.Key) as ScalarValue ?? e.Key, v)))
            : dictionary.Elements.Any(e => Escape(e.Key) is not null)
                ? new DictionaryValue(dictionary.Elements.Select(e =>
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(Escape(e.Key) as ScalarValue ?? e.Key, e.Value)))
                : null,
        _ => null,
    };

    private static List<LogEventPropertyValue>? EscapeAll(IReadOnlyList<LogEventPropertyValue> values)
    {
        List<LogEventPropertyValue>? result = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (Escape(values[i]) is { } escaped)
            {
                result ??= [.. values];
                result[i] = escaped;
            }
        }
        return result;
    }

    internal static string EscapeText(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\r' => builder.Append("\\r"),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                _ when Unsafe.Contains(c) => builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }
}
