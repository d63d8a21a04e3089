using System.Text;
using PovertyNews.Web.Operations.Move;

namespace PovertyNews.Tests.Operations;

public sealed class CopyToCommandTests
{
    private const string Connection = "Host=127.0.0.1;Database=news;Username=news;Password=secret";

    [Fact]
    public void Parse_ProviderAndConnection_WithDefaults()
    {
        var (parsed, problem) = CopyToCommand.Parse(["--provider", "PostgreSql", "--connection", Connection]);

        Assert.Null(problem);
        Assert.Equal(new CopyToCommand.Arguments(Connection, CopyOptions.DefaultBatch, 200, false, false), parsed);
    }

    [Fact]
    public void Parse_OptionsInBothForms()
    {
        var (parsed, _) = CopyToCommand.Parse(["--provider=postgresql", $"--connection={Connection}", "--batch", "100", "--sample=5", "--verify-all", "--no-index"]);

        Assert.Equal(new CopyToCommand.Arguments(Connection, 100, 5, true, true), parsed);
    }

    [Theory]
    [InlineData("--connection", Connection)]
    [InlineData("--provider", "Sqlite", "--connection", Connection)]
    [InlineData("--provider", "PostgreSql")]
    [InlineData("--provider", "PostgreSql", "--connection", "Host=x;Nonsense=1")]
    [InlineData("--provider", "PostgreSql", "--connection", Connection, "--batch", "0")]
    [InlineData("--provider", "PostgreSql", "--connection", Connection, "--batch", "-5")]
    [InlineData("--provider", "PostgreSql", "--connection", Connection, "--password", "x")]
    [InlineData("--provider", "PostgreSql", "--connection")]
    public void Parse_RefusesWhatItCannotUse(params string[] args)
    {
        var (parsed, problem) = CopyToCommand.Parse(args);

        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void SourceKey_RoundTripsEveryStorageClass()
    {
        object[] key = [42L, "用户\u001f甲", 1.5d, new byte[] { 1, 2, 255 }, ""];

        var parsed = SourceKey.Parse(SourceKey.Format(key));

        Assert.Equal(42L, parsed[0]);
        Assert.Equal("用户\u001f甲", parsed[1]);
        Assert.Equal(1.5d, parsed[2]);
        Assert.Equal(new byte[] { 1, 2, 255 }, parsed[3]);
        Assert.Equal("", parsed[4]);
    }

    [Fact]
    public void Canonical_TimesToTheMicrosecond_TextLengthPrefixed_NullApartFromEmpty()
    {
        static string Of(params object?[] values)
        {
            var builder = new StringBuilder();
            foreach (var value in values)
            {
                CopyPlan.AppendCanonical(builder, value);
            }
            return builder.ToString();
        }
        var at = new DateTime(2026, 12, 5, 10, 35, 39, DateTimeKind.Utc).AddTicks(1234567);

        Assert.Equal(Of(at), Of(new DateTime(at.Ticks - 7, DateTimeKind.Utc)));
        Assert.NotEqual(Of(at), Of(at.AddTicks(10)));
        Assert.NotEqual(Of((string?)null), Of(""));
        Assert.NotEqual(Of("a", "b"), Of("a\u001fb"));
        Assert.Equal(Of(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")), Of(Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E")));
    }
}
