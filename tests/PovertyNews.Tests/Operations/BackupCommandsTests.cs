using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.Tests.Operations;

public sealed class BackupCommandsTests
{
    [Theory]
    [InlineData(new[] { "a.zip" }, "a.zip", false, null)]
    [InlineData(new[] { "--verify", "a.zip" }, "a.zip", true, null)]
    [InlineData(new[] { "a.zip", "--verify" }, "a.zip", true, null)]
    public void Backup_FileAndVerify_InAnyOrder(string[] args, string file, bool verify, string? data)
    {
        Assert.Equal((file, verify, data, (string?)null), BackupCommands.Parse(args, allowVerify: true, allowData: false));
    }

    [Theory]
    [InlineData(new[] { "a.zip", "--data", "/srv/site" }, "/srv/site")]
    [InlineData(new[] { "--data", "/srv/site", "a.zip" }, "/srv/site")]
    [InlineData(new[] { "a.zip", "--data=/srv/site" }, "/srv/site")]
    [InlineData(new[] { "a.zip" }, null)]
    public void Restore_DataFolder_AsOptionOrKeyValue(string[] args, string? data)
    {
        Assert.Equal(("a.zip", false, data, (string?)null), BackupCommands.Parse(args, allowVerify: false, allowData: true));
    }

    [Theory]
    [InlineData(new string[0], "which file")]
    [InlineData(new[] { "a.zip", "b.zip" }, "one file only")]
    [InlineData(new[] { "--data" }, "--data needs a folder")]
    [InlineData(new[] { "a.zip", "--data=" }, "--data needs a folder")]
    [InlineData(new[] { "a.zip", "--verify" }, "unknown option '--verify'")]
    public void Restore_BadArguments_SayWhat(string[] args, string problem)
    {
        Assert.Contains(problem, BackupCommands.Parse(args, allowVerify: false, allowData: true).Problem);
    }
}
