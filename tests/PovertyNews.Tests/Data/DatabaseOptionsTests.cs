using Microsoft.Extensions.Configuration;
using PovertyNews.Web.Data;

namespace PovertyNews.Tests.Data;

public class DatabaseOptionsTests
{
    private static DatabaseOptions Read(string? provider) => DatabaseOptions.Read(new ConfigurationBuilder()
        .AddInMemoryCollection(provider is null ? [] : [new("PovertyNews:Database:Provider", provider)]).Build());

    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("sqlite", DatabaseProvider.Sqlite)]
    [InlineData("PostgreSql", DatabaseProvider.PostgreSql)]
    [InlineData("postgresql", DatabaseProvider.PostgreSql)]
    [InlineData(" Postgres ", DatabaseProvider.PostgreSql)]
    [InlineData("Npgsql", DatabaseProvider.PostgreSql)]
    public void KnownNames_AreRead(string? configured, DatabaseProvider expected) =>
        Assert.Equal(expected, Read(configured).Provider);

    [Theory]
    [InlineData("mysql")]
    [InlineData("1")]
    [InlineData("PostgreSqlql")]
    public void UnknownName_StopsTheStartSayingWhatIsAllowed(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(configured));
        Assert.Contains($"\"{configured}\"", error.Message);
        Assert.Contains("Sqlite (the default) or PostgreSql", error.Message);
    }
}
