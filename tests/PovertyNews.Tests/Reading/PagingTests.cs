using PovertyNews.Web.Reading;
using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Reading;

public class PagingTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData(-1, 1)]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    public void Normalize_FallsBackToTheFirstPage(int? requested, int expected) =>
        Assert.Equal(expected, Paging.Normalize(requested));

    [Fact]
    public void PastTheEnd_IsDetectedBeforeSkipOverflows()
    {
        var paging = new Paging(int.MaxValue, 20, 45, "/channels/x");

        Assert.True(paging.IsBeyondEnd);
        Assert.Equal(3, paging.TotalPages);
    }

    [Fact]
    public void EmptyList_HasOnePage()
    {
        var paging = new Paging(1, 20, 0, "/channels/x");

        Assert.False(paging.IsBeyondEnd);
        Assert.Equal("/channels/x", paging.UrlFor(1));
        Assert.Equal("/channels/x?page=2", paging.UrlFor(2));
    }

    [Theory]
    [InlineData(1, 1, "1")]
    [InlineData(1, 5, "1 2 3 4 5")]
    [InlineData(1, 20, "1 2 3 … 20")]
    [InlineData(4, 20, "1 2 3 4 5 6 … 20")]
    [InlineData(5, 20, "1 2 3 4 5 6 7 … 20")]
    [InlineData(6, 20, "1 … 4 5 6 7 8 … 20")]
    [InlineData(16, 20, "1 … 14 15 16 17 18 19 20")]
    [InlineData(17, 20, "1 … 15 16 17 18 19 20")]
    [InlineData(20, 20, "1 … 18 19 20")]
    public void Window_ShowsFirstLastAndTwoEitherSide_WithGapsOnlyWhereANumberIsLeftOut(int page, int pages, string expected)
    {
        var paging = new Paging(page, 10, pages * 10, "/channels/x");

        Assert.Equal(expected, string.Join(" ", paging.Window().Select(p => p?.ToString() ?? "…")));
    }

    [Fact]
    public void JumpForm_GoesToThePath_CarryingTheOtherQueryValuesButNotThePage()
    {
        var paging = new Paging(2, 10, 100, "/search?q=%E6%B9%98%E8%A5%BF&channel=3&page=9");

        Assert.Equal("/search", paging.JumpAction);
        Assert.Equal([new("q", "湘西"), new("channel", "3")], paging.JumpFields.ToList());
        Assert.Empty(new Paging(1, 10, 100, "/channels/x").JumpFields);
    }
}
