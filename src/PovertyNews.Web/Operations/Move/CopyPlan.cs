using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace PovertyNews.Web.Operations.Move;

/// <summary>
/// One column as both databases see it: the source's type mapping reads the stored value back into the model's CLR
/// value (through the model's converters, e.g. the UTC one), the target's turns that value into what its column takes.
/// </summary>
internal sealed class CopyColumn
{
    private static readonly MethodInfo ReadMethod = typeof(CopyColumn).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<DbDataReader, int, object> _readSource;
    private readonly Func<DbDataReader, int, object> _readTarget;

    public CopyColumn(string name, RelationalTypeMapping source, RelationalTypeMapping target)
    {
        Name = name;
        Source = source;
        Target = target;
        _readSource = Reader(source.Converter?.ProviderClrType ?? source.ClrType);
        _readTarget = Reader(target.Converter?.ProviderClrType ?? target.ClrType);
        // Without modifiers ("character varying", not "character varying(450)"): what the binary COPY names a type by.
        TargetTypeName = target.StoreTypeNameBase;
    }

    public string Name { get; }
    public RelationalTypeMapping Source { get; }
    public RelationalTypeMapping Target { get; }
    public string TargetTypeName { get; }

    public string Quoted => Quote(Name);

    /// <summary>The model's value of this column in the source's current row (null for NULL).</summary>
    public object? ReadSource(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromProvider(Source, _readSource(reader, ordinal));

    /// <summary>The model's value of this column in the target's current row.</summary>
    public object? ReadTarget(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromProvider(Target, _readTarget(reader, ordinal));

    /// <summary>What the target's column is written with for the model's <paramref name="value"/>.</summary>
    public object? ToTarget(object? value)
    {
        if (value is null)
        {
            return null;
        }
        var provider = Target.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        return provider switch
        {
            // timestamp with time zone takes UTC only; every DateTime in this model is UTC (NewsDbContext's converter).
            DateTime { Kind: not DateTimeKind.Utc } t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
            DateTimeOffset { Offset.Ticks: not 0 } o => o.ToUniversalTime(),
            _ => provider,
        };
    }

    private static object? FromProvider(RelationalTypeMapping mapping, object value) =>
        mapping.Converter is { } converter ? converter.ConvertFromProvider(value) : value;

    private static Func<DbDataReader, int, object> Reader(Type type) =>
        ReadMethod.MakeGenericMethod(type).CreateDelegate<Func<DbDataReader, int, object>>();

    private static object Read<T>(DbDataReader reader, int ordinal) => reader.GetFieldValue<T>(ordinal)!;

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>One table of the model: its columns, its primary key, and how it refers to itself (a channel's parent).</summary>
internal sealed class CopyTable
{
    public required string Name { get; init; }
    public required IReadOnlyList<CopyColumn> Columns { get; init; }

    /// <summary>Positions in <see cref="Columns"/> of the primary key's columns, in the key's order.</summary>
    public required IReadOnlyList<int> Key { get; init; }

    /// <summary>(dependent columns, principal columns) of each foreign key from this table to itself, as positions.</summary>
    public required IReadOnlyList<(int[] Dependent, int[] Principal)> SelfReferences { get; init; }

    /// <summary>The tables this one's foreign keys point to (not itself): copied before it.</summary>
    public required IReadOnlyList<string> Principals { get; init; }

    public string Quoted => CopyColumn.Quote(Name);

    public string ColumnList => string.Join(", ", Columns.Select(c => c.Quoted));

    public string KeyList => string.Join(", ", Key.Select(k => Columns[k].Quoted));

    /// <summary>An integer key of one column: the one an identity sequence may hand out.</summary>
    public CopyColumn? IntegerKey => Key.Count == 1 && Columns[Key[0]].Source.ClrType is var t && (t == typeof(int) || t == typeof(long))
        ? Columns[Key[0]] : null;
}

/// <summary>
/// The tables to copy: every table of the EF model (so a table added later is copied without anyone remembering to
/// list it), principals before the tables that refer to them.
/// </summary>
internal static class CopyPlan
{
    public static IReadOnlyList<CopyTable> Build(DbContext source, DbContext target)
    {
        var sourceTables = TablesOf(source);
        var targetTables = TablesOf(target).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tables = new List<CopyTable>();
        foreach (var table in sourceTables)
        {
            if (!targetTables.TryGetValue(table.Name, out var targetTable))
            {
                throw new InvalidOperationException($"Table {table.Name} is in the source's model but not in the target's.");
            }
            var targetColumns = targetTable.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            var columns = table.Columns
                .Select(c => new CopyColumn(c.Name, Mapping(c), Mapping(targetColumns.TryGetValue(c.Name, out var tc) ? tc
                    : throw new InvalidOperationException($"Column {table.Name}.{c.Name} is not in the target's model."))))
                .ToList();
            int Position(IColumn c) => columns.FindIndex(x => x.Name == c.Name);
            var key = table.PrimaryKey ?? throw new InvalidOperationException($"Table {table.Name} has no primary key.");
            tables.Add(new CopyTable
            {
                Name = table.Name,
                Columns = columns,
                Key = key.Columns.Select(Position).ToList(),
                SelfReferences = table.ForeignKeyConstraints.Where(fk => fk.PrincipalTable == table)
                    .Select(fk => (fk.Columns.Select(Position).ToArray(), fk.PrincipalColumns.Select(Position).ToArray())).ToList(),
                Principals = table.ForeignKeyConstraints.Select(fk => fk.PrincipalTable.Name).Where(n => n != table.Name)
                    .Distinct().ToList(),
            });
        }
        return Order(tables);
    }

    /// <summary>The tables every entity type of <paramref name="db"/>'s model is stored in.</summary>
    public static IReadOnlyList<ITable> TablesOf(DbContext db)
    {
        var relational = db.Model.GetRelationalModel();
        var names = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return relational.Tables.Where(t => names.Contains(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    private static RelationalTypeMapping Mapping(IColumn column) => column.PropertyMappings.First().TypeMapping;

    // Principals first; the order among independent tables is by name, so every run (and a resumed one) goes alike.
    private static List<CopyTable> Order(List<CopyTable> tables)
    {
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var ordered = new List<CopyTable>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(CopyTable table)
        {
            switch (state.GetValueOrDefault(table.Name))
            {
                case 2:
                    return;
                case 1:
                    throw new InvalidOperationException($"The foreign keys form a cycle through {table.Name}; copy-to cannot order the tables.");
            }
            state[table.Name] = 1;
            foreach (var principal in table.Principals)
            {
                if (byName.TryGetValue(principal, out var p))
                {
                    Visit(p);
                }
            }
            state[table.Name] = 2;
            ordered.Add(table);
        }
        foreach (var table in tables)
        {
            Visit(table);
        }
        return ordered;
    }

    /// <summary>
    /// A row's values in a canonical text, the same whichever database they were read from: what the verification
    /// hashes. Times to the microsecond, the precision PostgreSQL keeps.
    /// </summary>
    public static void AppendCanonical(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append('~');
                break;
            case string s:
                builder.Append(s.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(s);
                break;
            case DateTime t:
                var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
                builder.Append(new DateTime(utc.Ticks - utc.Ticks % 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset o:
                var u = o.UtcTicks;
                builder.Append(new DateTime(u - u % 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Append('Z');
                break;
            case byte[] bytes:
                builder.Append(Convert.ToBase64String(bytes));
                break;
            case Guid g:
                builder.Append(g.ToString("D"));
                break;
            case bool b:
                builder.Append(b ? '1' : '0');
                break;
            case IFormattable f:
                builder.Append(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(value);
                break;
        }
        builder.Append('\u001f');
    }
}
