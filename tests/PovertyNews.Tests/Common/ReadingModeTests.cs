using PovertyNews.Web.Common;

namespace PovertyNews.Tests.Common;

public sealed class ReadingModeTests
{
    public static TheoryData<int, bool, bool> EveryMode()
    {
        var data = new TheoryData<int, bool, bool>();
        for (var size = 0; size <= ReadingMode.MaxTextSize; size++)
        {
            foreach (var contrast in new[] { false, true })
            {
                foreach (var spacing in new[] { false, true })
                {
                    data.Add(size, contrast, spacing);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMode))]
    public void EveryMode_ReadsBackFromItsKey(int size, bool contrast, bool spacing)
    {
        var mode = new ReadingMode(size, contrast, spacing);

        Assert.Equal(mode, ReadingMode.Parse(mode.Key));
    }

    [Fact]
    public void StandardMode_HasAnEmptyKeyAndNoClass()
    {
        Assert.Equal("", ReadingMode.Standard.Key);
        Assert.Null(ReadingMode.Standard.CssClass);
        Assert.Equal(ReadingMode.Standard, ReadingMode.Parse(null));
    }

    [Fact]
    public void Classes_NameEachSettingThatIsOn()
    {
        Assert.Equal("mode-size-2 mode-spacing", new ReadingMode(2, false, true).CssClass);
        Assert.Equal("mode-contrast", new ReadingMode(0, true, false).CssClass);
    }

    [Theory]
    [InlineData("s4")]
    [InlineData("s")]
    [InlineData("s1x")]
    [InlineData("s1wc")]
    [InlineData("S1")]
    [InlineData("s1cww")]
    [InlineData("<script>")]
    [InlineData("s-1")]
    public void AnythingButACanonicalKey_IsTheStandardMode(string cookie)
    {
        Assert.Equal(ReadingMode.Standard, ReadingMode.Parse(cookie));
    }

    [Fact]
    public void TextSize_IsKeptWithinTheSteps()
    {
        Assert.Equal(ReadingMode.MaxTextSize, ReadingMode.Standard.WithTextSize(9).TextSize);
        Assert.Equal(0, ReadingMode.Standard.WithTextSize(-1).TextSize);
    }
}
