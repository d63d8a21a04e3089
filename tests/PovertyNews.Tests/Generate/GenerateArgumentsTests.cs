using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Infrastructure;

namespace PovertyNews.Tests.Generate;

public sealed class GenerateArgumentsTests
{
    [Fact]
    public void Generate_IsACommand() => Assert.Equal("generate", Commands.Find(["generate", "--count", "10"]));

    [Fact]
    public void CountAndSeed_Parsed()
    {
        var parsed = Commands.ParseGenerate(["--count", "100000", "--seed=7"]);

        Assert.Equal((100_000, 7, GenerateOptions.DefaultBatch, (string?)null, (string?)null), parsed);
    }

    [Fact]
    public void BatchAndContent_Parsed()
    {
        var parsed = Commands.ParseGenerate(["--seed", "0", "--count", "5", "--batch", "1000", "--content", "content"]);

        Assert.Equal((5, 0, 1000, "content", (string?)null), parsed);
    }

    [Theory]
    [InlineData(new[] { "--seed", "1" }, "--count is required")]
    [InlineData(new[] { "--count", "10" }, "--seed is required")]
    [InlineData(new[] { "--count", "-5", "--seed", "1" }, "--count must be")]
    [InlineData(new[] { "--count", "0", "--seed", "1" }, "--count must be")]
    [InlineData(new[] { "--count", "ten", "--seed", "1" }, "--count must be")]
    [InlineData(new[] { "--count", "1e5", "--seed", "1" }, "--count must be")]
    [InlineData(new[] { "--count", "99999999999", "--seed", "1" }, "--count must be")]
    [InlineData(new[] { "--count", "10", "--seed", "-1" }, "--seed must be")]
    [InlineData(new[] { "--count", "10", "--seed", "1", "--batch", "0" }, "--batch must be")]
    [InlineData(new[] { "--count", "10", "--seed", "1", "--batch", "2000000" }, "--batch must be")]
    [InlineData(new[] { "--count" }, "--count needs a value")]
    [InlineData(new[] { "--count", "10", "--seed", "1", "--fast" }, "needs a value")]
    [InlineData(new[] { "--count", "10", "--seed", "1", "--fast", "yes" }, "unknown option '--fast'")]
    public void BadArguments_Problem(string[] args, string problem)
    {
        var parsed = Commands.ParseGenerate(args);

        Assert.NotNull(parsed.Problem);
        Assert.Contains(problem, parsed.Problem);
    }

    [Fact]
    public async Task UsageError_ExitCode2WithUsage()
    {
        var error = new StringWriter();

        var code = await Commands.RunAsync(new ServiceCollection().BuildServiceProvider(), "generate", ["generate", "--count", "-1", "--seed", "1"],
            TextReader.Null, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains("--count must be", error.ToString());
        Assert.Contains("usage: generate --count <n> --seed <s>", error.ToString());
    }
}
