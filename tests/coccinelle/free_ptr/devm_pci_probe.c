// SPDX-License-Identifier: GPL-2.0
#include <linux/pci.h>
#include <linux/slab.h>

struct foo_dev {
	struct pci_dev *pdev;
	void __iomem *bar;
};

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo_dev *foo;
	int ret;

	foo = kzalloc(sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->pdev = pdev;

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_free;
	foo->bar = pci_iomap(pdev, 0, 0);
	if (!foo->bar) {
		ret = -ENOMEM;
		goto err_disable;
	}
	pci_set_drvdata(pdev, foo);
	return 0;

err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(foo);
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo_dev *foo = pci_get_drvdata(pdev);

	pci_iounmap(pdev, foo->bar);
	pci_disable_device(pdev);
	kfree(foo);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
module_pci_driver(foo_driver);
