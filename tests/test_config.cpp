#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"

namespace geneft {
namespace {

std::string error_of(const std::string& toml, const std::vector<std::string>& overrides = {}) {
  try {
    parse_config(toml, "test.toml", overrides);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsFillEveryKey) {
  const RunConfig c = parse_config("", "empty.toml");
  EXPECT_EQ(c.values.size(), config_schema().size());
  EXPECT_EQ(c.task.kind, "plain_add");
  EXPECT_EQ(c.model.head, "cross_entropy");  // "auto" resolved for a non-relation task
  EXPECT_DOUBLE_EQ(c.optim.encoder_lr, 1e-3);
}

TEST(Config, ReadsTypedValues) {
  const RunConfig c = parse_config(R"(seed = 7
[task]
kind = "rel_equiv"
n = 12
train_fraction = 1
[optim]
decoder_wd = 0.5
)", "t.toml");
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.task.n, 12);
  EXPECT_DOUBLE_EQ(c.task.train_fraction, 1.0);  // an integer is accepted where a number is expected
  EXPECT_DOUBLE_EQ(c.optim.decoder_wd, 0.5);
  EXPECT_EQ(c.model.head, "binary");
}

TEST(Config, UnknownKeyNamesFileAndKey) {
  const std::string e = error_of("[optim]\nencoder_learning_rate = 0.1\n");
  EXPECT_NE(e.find("test.toml"), std::string::npos) << e;
  EXPECT_NE(e.find("optim.encoder_learning_rate"), std::string::npos) << e;
  EXPECT_NE(e.find("optim.encoder_lr"), std::string::npos) << "should list the known keys: " << e;
}

TEST(Config, WrongTypeAndRange) {
  EXPECT_NE(error_of("[model]\nwidth = \"wide\"\n").find("must be an integer"), std::string::npos);
  const std::string neg = error_of("[optim]\nencoder_lr = -0.1\n");
  EXPECT_NE(neg.find("= -0.1 is out of range"), std::string::npos) << neg;
  EXPECT_NE(neg.find("optim.encoder_lr"), std::string::npos) << neg;
  EXPECT_NE(neg.find("-0.1"), std::string::npos) << neg;
  EXPECT_NE(neg.find("[0, inf)"), std::string::npos) << neg;
  EXPECT_NE(error_of("[task]\ntrain_fraction = 0\n").find("(0, 1]"), std::string::npos);
  EXPECT_NE(error_of("[task]\ntrain_fraction = 1.5\n").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("[model]\nactivation = \"sigmoid\"\n").find("\"gelu\""), std::string::npos);
}

TEST(Config, MalformedTomlHasLine) {
  const std::string e = error_of("[task\nkind = 1\n");
  EXPECT_NE(e.find("test.toml:1"), std::string::npos) << e;
  EXPECT_NE(e.find("malformed"), std::string::npos) << e;
}

TEST(Config, OverridesApplyAndValidate) {
  const RunConfig c = parse_config("[optim]\ndecoder_wd = 0.1\n", "t.toml",
                                   {"optim.decoder_wd=0.5", "task.kind=mod_add", "train.early_stop = true"});
  EXPECT_DOUBLE_EQ(c.optim.decoder_wd, 0.5);
  EXPECT_EQ(c.task.kind, "mod_add");
  EXPECT_TRUE(c.train.early_stop);
  EXPECT_NE(error_of("", {"optim.nope=1"}).find("unknown key 'optim.nope'"), std::string::npos);
  EXPECT_NE(error_of("", {"optim.encoder_lr=-1"}).find("out of range"), std::string::npos);
  EXPECT_NE(error_of("", {"optim.encoder_lr"}).find("key=value"), std::string::npos);
}

TEST(Config, CrossFieldChecks) {
  EXPECT_NE(error_of("[model]\nhead = \"binary\"\n").find("relation task"), std::string::npos);
  EXPECT_NE(error_of("[task]\nkind = \"rel_file\"\n").find("task.file"), std::string::npos);
  const std::string square = error_of("[model]\ncombiner = \"matmul\"\nembed_dim = 8\n");
  EXPECT_NE(square.find("model.embed_dim must be a square"), std::string::npos) << square;
  EXPECT_NE(square.find("it is 8"), std::string::npos) << square;
  EXPECT_EQ(error_of("[model]\ncombiner = \"matmul\"\nembed_dim = 9\n"), "");
}

// optim.encoder_l1 (the embedding penalty of Liu et al. 2022's Fig. 5d) is off by default and
// leaves every earlier run id alone; set, it names a new run.
TEST(Config, EncoderL1EntersTheIdOnlyWhenSet) {
  const RunConfig none = parse_config("", "a.toml"), set = parse_config("", "b.toml", {"optim.encoder_l1=1e-3"});
  EXPECT_EQ(std::get<double>(none.values.at("optim.encoder_l1")), 0.0);
  EXPECT_EQ(none.canonical().find("encoder_l1"), std::string::npos);
  EXPECT_DOUBLE_EQ(std::get<double>(set.values.at("optim.encoder_l1")), 1e-3);
  EXPECT_NE(set.id(), none.id());
}

TEST(Config, CanonicalFormIsSortedReloadableAndHashed) {
  const RunConfig a = parse_config("[optim]\ndecoder_lr = 0.0001\n[task]\nkind = \"mod_add\"\n", "a.toml");
  const RunConfig b = parse_config("[task]\nkind = \"mod_add\"\n", "b.toml", {"optim.decoder_lr=1e-4"});
  EXPECT_EQ(a.canonical(), b.canonical());
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(a.id().size(), 16u);
  const RunConfig back = parse_config(a.canonical(), "canonical");
  EXPECT_EQ(back.canonical(), a.canonical());
  const std::string text = a.canonical();
  EXPECT_LT(text.find("model.width"), text.find("optim.decoder_lr"));
  EXPECT_LT(text.find("optim.decoder_lr"), text.find("seed"));
  EXPECT_NE(text.find("optim.decoder_lr = 1e-04\n"), std::string::npos) << text;
  const RunConfig other_seed = parse_config("", "c.toml", {"seed=1"});
  EXPECT_NE(other_seed.id(), parse_config("", "c.toml").id());
}

// model.arch came after the first schema: at its default it is not in the canonical text, so
// ids made before it stay (tests/test_run_ids.cpp pins them for the examples).
TEST(Config, NewKeyAtItsDefaultLeavesTheCanonicalTextAlone) {
  const RunConfig implicit = parse_config("", "a.toml");
  const RunConfig explicit_mlp = parse_config("[model]\narch = \"mlp\"\n", "b.toml");
  EXPECT_EQ(explicit_mlp.model.arch, "mlp");
  EXPECT_EQ(implicit.canonical(), explicit_mlp.canonical());
  EXPECT_EQ(implicit.canonical().find("model.arch"), std::string::npos);
  EXPECT_NE(implicit.canonical().find("model.width = 200\n"), std::string::npos);  // first-schema keys stay
}

TEST(Config, NewKeyEntersTheCanonicalTextWhenNotAtItsDefault) {
  const RunConfig none = parse_config("", "a.toml"), zero = parse_config("", "b.toml", {"optim.warmup_steps=0"});
  const RunConfig ten = parse_config("", "c.toml", {"optim.warmup_steps=10"});
  EXPECT_EQ(none.id(), zero.id());
  EXPECT_NE(none.id(), ten.id());
  EXPECT_EQ(ten.optim.warmup_steps, 10);
  EXPECT_NE(ten.canonical().find("optim.warmup_steps = 10\n"), std::string::npos) << ten.canonical();
  EXPECT_EQ(parse_config(ten.canonical(), "canonical").id(), ten.id());
}

TEST(Config, ArchitectureIsChosenByName) {
  EXPECT_NE(error_of("[model]\narch = \"rnn\"\n").find("'model.arch' = 'rnn' is not allowed: must be one of \"mlp\""),
            std::string::npos);
  const RunConfig t = parse_config("", "t", {"model.arch=transformer", "task.kind=mod_add", "model.d_mlp=64"});
  EXPECT_EQ(t.model.arch, "transformer");
  // its own keys enter the canonical text when they differ from their default, and only for it
  EXPECT_NE(t.canonical().find("model.d_mlp = 64\n"), std::string::npos);
  EXPECT_EQ(t.canonical().find("model.d_model"), std::string::npos);
  EXPECT_EQ(parse_config("", "m", {"model.d_mlp=64"}).canonical(), parse_config("", "m").canonical());
  EXPECT_NE(error_of("", {"model.arch=transformer", "task.kind=rel_equiv"}).find("needs a binary-operation task"),
            std::string::npos);
}

TEST(Config, ReferenceListsEveryKey) {
  const std::string ref = config_reference();
  for (const auto& f : config_schema()) EXPECT_NE(ref.find("`" + f.key + "`"), std::string::npos) << f.key;
}

}  // namespace
}  // namespace geneft
