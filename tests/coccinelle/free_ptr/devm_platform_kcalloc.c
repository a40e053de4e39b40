// SPDX-License-Identifier: GPL-2.0
#include <linux/platform_device.h>
#include <linux/slab.h>

struct bar_chan {
	int id;
};

struct bar_priv {
	struct bar_chan *chans;
	int irq;
};

static int bar_probe(struct platform_device *pdev)
{
	struct bar_priv *priv;
	int ret;

	priv = kcalloc(1, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	ret = platform_get_irq(pdev, 0);
	if (ret < 0)
		goto out_free;
	priv->irq = ret;
	platform_set_drvdata(pdev, priv);
	return 0;

out_free:
	kfree(priv);
	return ret;
}

static void bar_remove(struct platform_device *pdev)
{
	struct bar_priv *priv = platform_get_drvdata(pdev);

	kfree(priv);
}

static struct platform_driver bar_driver = {
	.probe = bar_probe,
	.remove = bar_remove,
	.driver = {
		.name = "bar",
	},
};
module_platform_driver(bar_driver);
