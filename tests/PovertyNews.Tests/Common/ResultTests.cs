using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using PovertyNews.Web.Common;
using PovertyNews.Web.Pages;

namespace PovertyNews.Tests.Common;

/// <summary>The shared result and how every page shows it.</summary>
public sealed class ResultTests
{
    [Fact]
    public void StatusCode_FollowsTheKindUnlessARefusalNamesItsOwn()
    {
        Assert.Equal(200, Result.Done("已保存").StatusCode);
        Assert.Equal(200, Result.Unchanged().StatusCode);
        Assert.Equal(400, Result.Refused("不行").StatusCode);
        Assert.Equal(413, Result.Refused("文件过大", 413).StatusCode);
        Assert.Equal(404, Result.NotFound().StatusCode);
        Assert.Equal(403, Result.Forbidden().StatusCode);
        Assert.Equal(409, Result.Conflict("已被他人修改").StatusCode);
        Assert.True(Result.Unchanged().Succeeded);
        Assert.False(Result.Conflict("已被他人修改").Succeeded);
    }

    [Fact]
    public void As_KeepsTheRefusalAndWith_CarriesTheValue()
    {
        var refused = Result.Refused(new InputError("Title", "请填写标题。")).As<int>();
        var conflict = Result.Conflict("已被他人修改").With(42);

        Assert.Equal(ResultKind.Refused, refused.Kind);
        Assert.Equal("请填写标题。", Assert.Single(refused.Errors).Message);
        Assert.Equal(0, refused.Value);
        Assert.Equal(ResultKind.Conflict, conflict.Kind);
        Assert.Equal(42, conflict.Value);
        Assert.Equal("已被他人修改", conflict.Message);
    }

    [Fact]
    public void AddErrors_PutsFieldErrorsUnderThePrefixAndTheRestIntoTheSummary()
    {
        var modelState = new ModelStateDictionary();
        var result = Result.Refused([new("Title", "请填写标题。"), new("", "表单已过期。")]);

        modelState.AddErrors(result);

        Assert.Equal("请填写标题。", Assert.Single(modelState["Input.Title"]!.Errors).ErrorMessage);
        Assert.Equal("表单已过期。", Assert.Single(modelState[""]!.Errors).ErrorMessage);
    }

    [Fact]
    public void AddErrors_WithoutAPrefixUsesTheFieldNameAndWithNullPutsEverythingIntoTheSummary()
    {
        var result = Result.Refused(new InputError("NewPassword", "密码太常见。"));
        var bare = new ModelStateDictionary();
        var summary = new ModelStateDictionary();

        bare.AddErrors(result, "");
        summary.AddErrors(result, prefix: null);

        Assert.True(bare.ContainsKey("NewPassword"));
        Assert.Equal("密码太常见。", Assert.Single(summary[""]!.Errors).ErrorMessage);
    }

    [Fact]
    public void AddErrors_ShowsAConflictMessageOnceAndIgnoresSuccesses()
    {
        var modelState = new ModelStateDictionary();

        modelState.AddErrors(Result.Conflict("栏目已被他人修改。"));
        modelState.AddErrors(Result.Done("已保存"));

        Assert.Equal("栏目已被他人修改。", Assert.Single(modelState[""]!.Errors).ErrorMessage);
        Assert.Equal(1, modelState.ErrorCount);
    }

    [Fact]
    public void Flash_KeepsTheSuccessMessage()
    {
        var tempData = new TempDataDictionary(new Microsoft.AspNetCore.Http.DefaultHttpContext(), new NullTempDataProvider());

        tempData.Flash(Result.Unchanged("设置没有变化。"));

        Assert.Equal("设置没有变化。", tempData[ResultExtensions.FlashKey]);
    }

    private sealed class NullTempDataProvider : ITempDataProvider
    {
        public IDictionary<string, object> LoadTempData(Microsoft.AspNetCore.Http.HttpContext context) => new Dictionary<string, object>();

        public void SaveTempData(Microsoft.AspNetCore.Http.HttpContext context, IDictionary<string, object> values)
        {
        }
    }
}
