<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddressField</name>
    <message>
        <location filename="../../ui/form_fields/region.py" line="200"/>
        <source>Building and room, e.g. 3栋2单元501室</source>
        <translation>楼号和门牌号，例如 3栋2单元501室</translation>
    </message>
</context>
<context>
    <name>AmountField</name>
    <message>
        <location filename="../../ui/form_fields/keyed.py" line="144"/>
        <source>yuan</source>
        <translation>元</translation>
    </message>
</context>
<context>
    <name>AssistedIdentifyPanel</name>
    <message>
        <location filename="../../ui/assisted_identify.py" line="60"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="61"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="105"/>
        <source>Type your ID number; then a staff member confirms it</source>
        <translation>请输入您的身份证号，再由工作人员确认</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="123"/>
        <source>Staff member: sign in to confirm this ID number</source>
        <translation>请工作人员登录，确认这个身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/assisted_identify.py" line="132"/>
        <source>%1 is signed in as a technician; hall staff confirm identification.</source>
        <translation>%1 以技术人员身份登录；身份确认须由大厅工作人员办理。</translation>
    </message>
</context>
<context>
    <name>AudioMode</name>
    <message>
        <location filename="../../ui/audio_mode.py" line="33"/>
        <source>button</source>
        <translation>按钮</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="35"/>
        <source>key</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="41"/>
        <source>selected</source>
        <translation>已选中</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="41"/>
        <source>not selected</source>
        <translation>未选中</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="43"/>
        <source>unavailable</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="44"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../ui/audio_mode.py" line="59"/>
        <source>Audio mode. Up and down move between the controls, Enter chooses, Backspace goes back, F1 repeats the instructions.</source>
        <translation>语音导航已开启。按上下键在各个按钮之间移动，按确认键选择，按退格键返回，按F1键重听说明。</translation>
    </message>
</context>
<context>
    <name>CallBanner</name>
    <message>
        <location filename="../../ui/call_banner.py" line="43"/>
        <source>Cancel my call</source>
        <translation>取消呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="44"/>
        <source>Staff: clear</source>
        <translation>工作人员处理</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="66"/>
        <source>Staff have seen your call and are on their way.</source>
        <translation>工作人员已看到您的呼叫，正在赶来。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="68"/>
        <source>The network is down: your call shows on this kiosk only. Staff will see it in their list when the network is back.</source>
        <translation>网络中断：您的呼叫目前只显示在本机上。网络恢复后，工作人员的呼叫列表中就会出现。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="70"/>
        <source>A member of staff has been called and will come to you.</source>
        <translation>已呼叫工作人员，请稍候，工作人员马上就到。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="75"/>
        <source>Staff have seen your call.</source>
        <translation>工作人员已看到您的呼叫。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="77"/>
        <source>Offline: call shown on this kiosk only.</source>
        <translation>网络中断：呼叫仅在本机显示。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="78"/>
        <source>Staff have been called.</source>
        <translation>已呼叫工作人员，请稍候。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="99"/>
        <source>Your call has been cancelled.</source>
        <translation>您的呼叫已取消。</translation>
    </message>
    <message>
        <location filename="../../ui/call_banner.py" line="107"/>
        <source>The call has been cleared by %1.</source>
        <translation>呼叫已由%1处理完毕。</translation>
    </message>
</context>
<context>
    <name>CandidateBar</name>
    <message>
        <location filename="../../ui/candidate_bar.py" line="38"/>
        <source>Earlier candidates</source>
        <translation>前一组候选字</translation>
    </message>
    <message>
        <location filename="../../ui/candidate_bar.py" line="40"/>
        <source>More candidates</source>
        <translation>后一组候选字</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../ui/screens/confirm.py" line="21"/>
        <source>Please check, then submit</source>
        <translation>请核对信息，确认无误后提交</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="31"/>
        <source>Read my details aloud</source>
        <translation>朗读我的信息</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="36"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="49"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="50"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="66"/>
        <source>Service</source>
        <translation>办理事项</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="67"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/screens/confirm.py" line="68"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
</context>
<context>
    <name>CountField</name>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="32"/>
        <source>One less</source>
        <translation>减一</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="34"/>
        <source>One more</source>
        <translation>加一</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="85"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="105"/>
        <source>Later %1</source>
        <translation>%1往后</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/stepper.py" line="108"/>
        <source>Earlier %1</source>
        <translation>%1往前</translation>
    </message>
</context>
<context>
    <name>FarewellScreen</name>
    <message>
        <location filename="../../ui/screens/finish.py" line="72"/>
        <source>Please take your card and your receipt. Thank you!</source>
        <translation>请取走您的卡片和回执，谢谢！</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="75"/>
        <source>Back to the home screen</source>
        <translation>返回首页</translation>
    </message>
</context>
<context>
    <name>FieldWidget</name>
    <message>
        <location filename="../../ui/form_fields/base.py" line="96"/>
        <source>%1 (required)</source>
        <translation>%1（必填）</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/base.py" line="96"/>
        <source>%1 (optional)</source>
        <translation>%1（选填）</translation>
    </message>
</context>
<context>
    <name>FormMessages</name>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="17"/>
        <source>An ID number has 18 characters. Please check it.</source>
        <translation>身份证号码是18位，请核对。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="21"/>
        <source>An ID number is 17 digits and then a digit or X. Please check it.</source>
        <translation>身份证号码是17位数字，最后一位是数字或X，请核对。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="24"/>
        <source>This ID number is not right. Please check each digit.</source>
        <translation>这个身份证号码不对，请逐位核对。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="37"/>
        <source>Please have their card read, or type their ID number.</source>
        <translation>请家属刷卡，或者输入家属的身份证号码。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="49"/>
        <source>Please choose an answer here.</source>
        <translation>这一项还没有选，请选择。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="50"/>
        <source>Please fill this in.</source>
        <translation>这一项还没有填，请填写。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="56"/>
        <source>Please choose one of the answers shown.</source>
        <translation>请从屏幕上的选项中选择。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="59"/>
        <source>Please choose at least %1.</source>
        <translation>请至少选 %1 项。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="62"/>
        <source>Please choose no more than %1.</source>
        <translation>最多只能选 %1 项。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="65"/>
        <source>Please type an 11-digit mobile number, or a landline with its area code.</source>
        <translation>请输入11位手机号码，或者带区号的固定电话。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="69"/>
        <source>Please choose a date.</source>
        <translation>请选择日期。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="70"/>
        <source>That date is too early. Please choose a later one.</source>
        <translation>这个日期太早了，请往后选。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="73"/>
        <source>That date is too late. Please choose an earlier one.</source>
        <translation>这个日期太晚了，请往前选。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="76"/>
        <source>Please type an amount in yuan, with at most two digits after the point.</source>
        <translation>请输入金额（元），小数点后最多两位。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="80"/>
        <source>Please choose a whole number.</source>
        <translation>请选择一个整数。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="81"/>
        <source>That is too small. The smallest allowed is %1.</source>
        <translation>数目太小了，最少是 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="84"/>
        <source>That is too large. The largest allowed is %1.</source>
        <translation>数目太大了，最多是 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="87"/>
        <source>Please choose the place from the list.</source>
        <translation>请从列表中选择地点。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="90"/>
        <source>Please add the building and room number.</source>
        <translation>请再输入楼号和门牌号。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="93"/>
        <source>That is too long. Please shorten it.</source>
        <translation>内容太长了，请删短一些。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="96"/>
        <source>Please choose how you are related.</source>
        <translation>请选择您和家属的关系。</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/messages.py" line="102"/>
        <source>This answer cannot be used. Please check it, or ask staff.</source>
        <translation>这一项填写有误，请核对，或者请工作人员帮忙。</translation>
    </message>
</context>
<context>
    <name>FormScreen</name>
    <message>
        <location filename="../../ui/screens/form.py" line="73"/>
        <source>Please fill in</source>
        <translation>请填写</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="82"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="84"/>
        <location filename="../../ui/screens/form.py" line="256"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="253"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 / %2 页</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="256"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../ui/screens/form.py" line="343"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <location filename="../../ui/screens/guide.py" line="39"/>
        <source>Common questions</source>
        <translation>常见问题</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="42"/>
        <source>Start</source>
        <translation>开始办理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="46"/>
        <source>Take a queue number</source>
        <translation>取号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="50"/>
        <source>Pay here</source>
        <translation>在本机缴费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="67"/>
        <source>This guide is available in Chinese only.</source>
        <translation>本指南只有中文版。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="89"/>
        <source>Payment is unavailable right now: the kiosk cannot reach the payment platform. Please pay at one of the places below, or try again later.</source>
        <translation>暂时无法缴费：本机无法连接缴费平台。请到下列地点缴纳，或稍后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="105"/>
        <source>Who can apply</source>
        <translation>办理条件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="106"/>
        <source>What to bring</source>
        <translation>需要带的材料</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="107"/>
        <source>Fee</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="108"/>
        <source>Time limit</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="109"/>
        <source>Good to know</source>
        <translation>温馨提示</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="121"/>
        <source>You can finish this here at the kiosk.</source>
        <translation>这项业务可以在本机直接办完。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="122"/>
        <source>You apply here; the office handles it and you can check its progress with your receipt.</source>
        <translation>在本机提交申请，由部门后续办理，您可以凭回执查询进度。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="124"/>
        <source>This is information only: there is nothing to apply for here.</source>
        <translation>这里只提供办事信息，不需要在本机申请。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="125"/>
        <source>This needs a visit to a service window: the kiosk cannot finish it.</source>
        <translation>这项业务需要到窗口办理，本机无法办完。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="127"/>
        <source>You can pay here by scanning a code with your phone.</source>
        <translation>可在本机用手机扫码缴费。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="134"/>
        <source>Where to go</source>
        <translation>办理地点</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="134"/>
        <source>Where to go instead</source>
        <translation>请到以下地点办理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="136"/>
        <source>Other ways to pay</source>
        <translation>其他缴费方式</translation>
    </message>
</context>
<context>
    <name>HeaderStatus</name>
    <message>
        <location filename="../../ui/header_status.py" line="70"/>
        <source>dddd d MMMM</source>
        <translation>M月d日 dddd</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="79"/>
        <source>Network: checking</source>
        <translation>网络：正在检查</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="81"/>
        <source>Network: connected</source>
        <translation>网络：正常</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="83"/>
        <source>Network: offline</source>
        <translation>网络：已断开</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="94"/>
        <source>Last sync: %1.</source>
        <translation>最后同步：%1。</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="98"/>
        <source>Never synced yet.</source>
        <translation>本机尚未与政务平台同步过。</translation>
    </message>
    <message>
        <location filename="../../ui/header_status.py" line="100"/>
        <source>Offline. %1 Greyed services need the network; the rest are sent when it is back.</source>
        <translation>本机暂时断网。%1灰色事项需联网，暂不能办；其他事项照常办理，联网后自动提交。</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="44"/>
        <source>Please choose a service</source>
        <translation>请选择要办理的业务</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="60"/>
        <source>Search for a service</source>
        <translation>搜索事项</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="63"/>
        <source>Check progress</source>
        <translation>查询办理进度</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="66"/>
        <source>My affairs</source>
        <translation>我的办件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="90"/>
        <source>Most used</source>
        <translation>常用事项</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="97"/>
        <source>By department</source>
        <translation>按部门查找</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="99"/>
        <source>By life event</source>
        <translation>按人生事件查找</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="77"/>
        <source>English</source>
        <comment>home: the other language</comment>
        <translation>English</translation>
    </message>
    <message>
        <location filename="../../ui/screens/home.py" line="79"/>
        <source>Language: Chinese or English</source>
        <translation>语言：中文或英文</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../../ui/screens/identify.py" line="35"/>
        <source>Please insert your social-security card or place your ID card on the pad</source>
        <translation>请插入社保卡或将身份证放在感应区</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="49"/>
        <source>Scan an electronic card code</source>
        <translation>扫描电子社保卡或医保电子凭证</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="51"/>
        <source>No card? Ask staff to help type your ID number</source>
        <translation>没有卡？请工作人员帮您输入身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="66"/>
        <source>Demo: insert the test card</source>
        <translation>演示：插入测试卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="71"/>
        <source>Demo: place the test ID card</source>
        <translation>演示：放置测试身份证</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="76"/>
        <source>Demo: scan a test electronic card code</source>
        <translation>演示：扫描测试电子凭证</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="107"/>
        <source>Open the electronic social-security card or medical-insurance code on your phone and hold the QR code under the scanner.</source>
        <translation>请在手机上打开电子社保卡或医保电子凭证，把二维码对准扫描器。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/identify.py" line="143"/>
        <source>Time left: %n second(s)</source>
        <translation>
            <numerusform>剩余时间：%n 秒</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="154"/>
        <source>Card read: %1, %2</source>
        <translation>已读取：%1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="160"/>
        <source>Checking your electronic card code…</source>
        <translation>正在核验您的电子凭证…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/identify.py" line="169"/>
        <source>Reading your card, please do not remove it…</source>
        <translation>正在读卡，请不要拔出卡片…</translation>
    </message>
</context>
<context>
    <name>KeyedField</name>
    <message>
        <location filename="../../ui/form_fields/keyed.py" line="81"/>
        <source>Please type on the keys</source>
        <translation>请按下面的数字键</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../ui/widgets.py" line="189"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="191"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="196"/>
        <source>Decimal point</source>
        <translation>小数点</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="196"/>
        <source>Dash</source>
        <translation>横杠</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="206"/>
        <source>Digit key</source>
        <translation>数字键</translation>
    </message>
</context>
<context>
    <name>LetterKeypad</name>
    <message>
        <location filename="../../ui/letter_keypad.py" line="49"/>
        <source>Letter %1</source>
        <translation>字母 %1</translation>
    </message>
    <message>
        <location filename="../../ui/letter_keypad.py" line="53"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/letter_keypad.py" line="54"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="58"/>
        <location filename="../../ui/main_window.py" line="393"/>
        <source>Government services self-service kiosk</source>
        <translation>政务服务自助终端</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <location filename="../../ui/main_window.py" line="394"/>
        <source>Government self-service</source>
        <translation>政务服务自助终端</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="141"/>
        <location filename="../../ui/main_window.py" line="395"/>
        <source>Care mode</source>
        <translation>长辈模式</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="143"/>
        <location filename="../../ui/main_window.py" line="396"/>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <location filename="../../ui/main_window.py" line="397"/>
        <source>Call staff</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="148"/>
        <location filename="../../ui/main_window.py" line="403"/>
        <source>Repeat</source>
        <comment>header button, short</comment>
        <translation>重播</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="150"/>
        <location filename="../../ui/main_window.py" line="404"/>
        <source>Repeat</source>
        <translation>重复播报</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="151"/>
        <location filename="../../ui/main_window.py" line="405"/>
        <source>Stop</source>
        <comment>header button, short</comment>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="153"/>
        <location filename="../../ui/main_window.py" line="406"/>
        <source>Stop voice</source>
        <translation>停止播报</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="237"/>
        <location filename="../../ui/main_window.py" line="409"/>
        <source>Simulated card reader: not real hardware</source>
        <translation>模拟读卡器：非真实设备</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="242"/>
        <location filename="../../ui/main_window.py" line="398"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="243"/>
        <location filename="../../ui/main_window.py" line="399"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="255"/>
        <location filename="../../ui/main_window.py" line="400"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: low</source>
        <translation>音量：小</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: medium</source>
        <translation>音量：中</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="427"/>
        <source>Volume: high</source>
        <translation>音量：大</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. low</source>
        <translation>音量 小</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. mid</source>
        <translation>音量 中</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="433"/>
        <source>Vol. high</source>
        <translation>音量 大</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="455"/>
        <source>The call could not be recorded. Please ask at the service desk.</source>
        <translation>呼叫未能记录，请到服务台咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="464"/>
        <source>Ding dong. Staff, please come to kiosk %1.</source>
        <translation>叮咚，请工作人员到%1号自助终端。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="539"/>
        <source>Your card is back. Please carry on.</source>
        <translation>您的卡已插回，请继续办理。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="543"/>
        <source>Your card has been taken out. Put it back in the reader to carry on; otherwise this visit ends in %n second(s) and your details are cleared.</source>
        <translation>
            <numerusform>您的卡已取出。请插回卡片继续办理，否则 %n 秒后本次办理结束并清除您的信息。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="547"/>
        <source>Do you need more time? Returning to the home screen in %n second(s).</source>
        <translation>
            <numerusform>需要更多时间吗？%n 秒后将返回首页。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="10"/>
        <source>This is not a social-security card. Please insert your social-security card, or place your ID card on the pad.</source>
        <translation>这不是社保卡。请插入您的社保卡，或将身份证放在感应区。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15"/>
        <source>The card was taken out too early. Please insert it again and wait.</source>
        <translation>卡片拔出过早，请重新插入并稍候。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18"/>
        <source>A different card was put in, so the visit ended and its details were cleared. Please start again.</source>
        <translation>插入的不是您原来的卡，本次办理已结束，信息已清除。请重新开始。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="22"/>
        <source>The card did not answer. Please take it out and insert it again.</source>
        <translation>卡片没有响应，请拔出后重新插入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="25"/>
        <source>This card could not be read. Please ask staff for help.</source>
        <translation>无法读取这张卡，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="28"/>
        <source>The card reader had a problem. Please try again.</source>
        <translation>读卡器出现问题，请再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="31"/>
        <source>The card reader is not working. Please ask staff for help.</source>
        <translation>读卡器暂时无法使用，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="34"/>
        <location filename="../../ui/messages.py" line="37"/>
        <location filename="../../ui/messages.py" line="40"/>
        <location filename="../../ui/messages.py" line="43"/>
        <location filename="../../ui/messages.py" line="46"/>
        <source>The ID number on this card is not valid. Please ask staff.</source>
        <translation>卡上的证件号码无效，请找工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="49"/>
        <source>This kiosk cannot accept this kind of card yet. Please ask staff for help.</source>
        <translation>本机暂不支持这类证件，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="53"/>
        <source>The ID card reader is not working. Please ask staff for help.</source>
        <translation>身份证阅读器暂时无法使用，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="56"/>
        <source>The card could not be read cleanly. Please lift it and place it again.</source>
        <translation>读卡不完整，请拿起证件后重新放置。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="59"/>
        <source>This card could not be verified. Please ask staff for help.</source>
        <translation>无法验证这张证件，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="62"/>
        <source>The card does not answer. Please check it is inserted the right way.</source>
        <translation>卡片没有响应，请检查卡片插入方向是否正确。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="65"/>
        <source>This card has expired. Please use a valid card or ask staff.</source>
        <translation>这张卡已过有效期，请使用有效证件或找工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="68"/>
        <source>This is your own card. Please take it out and let your family member insert theirs, or type their ID number.</source>
        <translation>这是您本人的卡。请取出，换家属的卡插入，或者输入家属的身份证号码。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="73"/>
        <source>This service is for older residents; your card does not meet the age rule.</source>
        <translation>本业务面向老年人，您的年龄不符合申领条件。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="76"/>
        <source>This electronic card code has expired. Please refresh the code on your phone and scan it again.</source>
        <translation>这个电子凭证已过期。请在手机上刷新后重新扫描。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="80"/>
        <source>This electronic card code has already been used. Please refresh the code on your phone and scan the new one.</source>
        <translation>这个电子凭证已经使用过。请在手机上刷新，扫描新的二维码。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="84"/>
        <location filename="../../ui/messages.py" line="88"/>
        <location filename="../../ui/messages.py" line="92"/>
        <source>This code could not be verified as an electronic card code. Please use your card, or ask staff for help.</source>
        <translation>无法核验这个电子凭证。请使用您的卡，或请工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="96"/>
        <source>Electronic card codes cannot be checked while the network is down. Please use your card, or ask staff to help type your ID number.</source>
        <translation>网络中断时无法核验电子凭证。请使用您的卡，或请工作人员帮您输入身份证号。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="100"/>
        <source>This service does not accept an electronic card code. Please use your card, or ask staff to help type your ID number.</source>
        <translation>本事项不支持电子凭证。请使用您的卡，或请工作人员帮您输入身份证号。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="104"/>
        <source>This service is only for people up to a certain age, and your card is above it. Staff can tell you which service fits you.</source>
        <translation>本业务有年龄上限，您的证件超过了这个年龄。请问工作人员哪项业务适合您。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="111"/>
        <source>The card could not be used. Please ask staff for help.</source>
        <translation>这张卡无法使用，请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="120"/>
        <source>This QR code is not one the kiosk can use here.</source>
        <translation>这个二维码不能在这里使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="123"/>
        <source>This receipt was issued at another kiosk. Please type its number there, or ask at the counter.</source>
        <translation>这张回执是在另一台自助机上办理的。请到那台自助机查询，或到窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="127"/>
        <source>The QR code scanner is not working. Please ask staff for help.</source>
        <translation>二维码扫描器无法使用。请工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="131"/>
        <source>The code could not be read. Please hold it still under the scanner and try again.</source>
        <translation>没能读取二维码。请把它对准扫描器保持不动，再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="139"/>
        <source>This kiosk cannot take more applications until its network connection is back. Nothing was submitted. Please ask staff, or use another kiosk.</source>
        <translation>网络恢复前，本机暂时不能再受理新的申请。本次没有提交。请找工作人员，或使用其他终端办理。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="144"/>
        <source>Your application could not be saved, so nothing was submitted. Please ask staff for help.</source>
        <translation>您的申请未能保存，本次没有提交。请找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="152"/>
        <source>Something went wrong while submitting your application. Please try again, or ask staff for help.</source>
        <translation>提交申请时出现问题，请再试一次，或找工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="160"/>
        <source>The printer cannot print right now. Your application is saved: please note the tracking number below or scan the code with your phone.</source>
        <translation>打印机暂时无法打印。您的申请已保存，请记下下方的受理编号，或用手机扫描二维码。</translation>
    </message>
</context>
<context>
    <name>MultiChoiceField</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="114"/>
        <source>Choose %1 to %2</source>
        <translation>可选 %1 到 %2 项</translation>
    </message>
</context>
<context>
    <name>OptionPager</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="39"/>
        <source>Previous options</source>
        <translation>上一组</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="42"/>
        <source>More options</source>
        <translation>下一组</translation>
    </message>
</context>
<context>
    <name>OutOfOrder</name>
    <message>
        <location filename="../../ui/out_of_order.py" line="24"/>
        <source>Out of order</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../../ui/out_of_order.py" line="28"/>
        <source>Please use another kiosk or ask at the service desk.</source>
        <translation>请使用其他自助终端，或到服务窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/out_of_order.py" line="30"/>
        <source>Help: call the government service hotline %1</source>
        <translation>咨询请拨打政务服务便民热线 %1</translation>
    </message>
</context>
<context>
    <name>PageBar</name>
    <message>
        <location filename="../../ui/tile_list.py" line="51"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../ui/tile_list.py" line="55"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
</context>
<context>
    <name>PaymentScreen</name>
    <message>
        <location filename="../../ui/screens/payment.py" line="73"/>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="74"/>
        <source>Pay with my phone</source>
        <translation>用手机扫码支付</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="75"/>
        <source>Change the number</source>
        <translation>重新输入号码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="76"/>
        <source>Cancel payment</source>
        <translation>取消支付</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="77"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="78"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="172"/>
        <source>Time left: %1</source>
        <translation>剩余时间：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="186"/>
        <source>Type your %1 on the keypad, then tap Look up.</source>
        <translation>请在键盘上输入您的%1，然后点“查询”。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="204"/>
        <source>The connection to the payment platform is interrupted; the kiosk keeps trying. If you have paid, do not pay again.</source>
        <translation>与缴费平台的连接中断，本机正在重试。如您已付款，请勿重复缴费。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="226"/>
        <source>Account: %1</source>
        <translation>户号：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="228"/>
        <source>Holder: %1</source>
        <translation>户名：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="230"/>
        <source>Period: %1</source>
        <translation>账期：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="232"/>
        <source>Balance on the card account: ¥%1</source>
        <translation>卡账户余额：¥%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="235"/>
        <source>Order number: %1</source>
        <translation>订单号：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment.py" line="239"/>
        <source>Amount: ¥%1</source>
        <translation>金额：¥%1</translation>
    </message>
</context>
<context>
    <name>PaymentWords</name>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="27"/>
        <source>transit card number</source>
        <translation>公交卡卡号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="29"/>
        <source>water account number</source>
        <translation>用水户号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="30"/>
        <source>electricity account number</source>
        <translation>电费户号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="31"/>
        <source>gas account number</source>
        <translation>燃气户号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="32"/>
        <source>heating account number</source>
        <translation>供热户号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="42"/>
        <source>No smartphone? You can pay at %1.</source>
        <translation>没有智能手机？可到%1缴纳。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="43"/>
        <source>; or </source>
        <translation>；或</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="51"/>
        <source>The number has %1 digits. Please check it and type it again.</source>
        <translation>号码应为%1位，请核对后重新输入。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="54"/>
        <source>No account with this number was found. Please check the number on your bill or card and type it again.</source>
        <translation>没有找到这个号码的账户。请核对缴费通知单或卡上的号码后重新输入。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="57"/>
        <source>This account owes nothing at the moment. There is nothing to pay.</source>
        <translation>该账户目前没有欠费，无需缴纳。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="60"/>
        <source>The payment service cannot be reached right now, so payment is unavailable here. Nothing was paid.</source>
        <translation>暂时无法连接缴费平台，本机现在不能缴费，没有扣款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="63"/>
        <source>The payment could not be started: the bill changed. Nothing was paid. Please look it up again.</source>
        <translation>无法发起支付：账单已有变化，没有扣款。请重新查询。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="68"/>
        <source>Looking up the account, please wait…</source>
        <translation>正在查询账户，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="69"/>
        <source>Preparing the payment code, please wait…</source>
        <translation>正在生成支付二维码，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="70"/>
        <source>Scan the code with your phone to pay</source>
        <translation>请用手机扫描二维码支付</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="71"/>
        <source>Cancelling the payment, please wait…</source>
        <translation>正在取消支付，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="72"/>
        <source>The payment could not be started</source>
        <translation>未能发起支付</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="73"/>
        <source>Payment received</source>
        <translation>缴费成功</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="74"/>
        <source>The payment did not go through</source>
        <translation>支付未成功</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="75"/>
        <source>The time to pay is over</source>
        <translation>支付时间已过</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="76"/>
        <source>Payment cancelled</source>
        <translation>支付已取消</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="77"/>
        <source>Your late payment was credited</source>
        <translation>逾期付款已入账</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="78"/>
        <source>Your late payment will be refunded</source>
        <translation>逾期付款将退回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="79"/>
        <source>The payment result is not confirmed yet</source>
        <translation>支付结果待确认</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="86"/>
        <source>The payment service cannot be reached right now. Nothing was paid.</source>
        <translation>暂时无法连接缴费平台，没有扣款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="91"/>
        <source>Thank you. The platform has confirmed your payment.</source>
        <translation>谢谢，平台已确认您的付款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="92"/>
        <source>Your bank or wallet declined the payment. No money was taken. You may try again, or pay at a window.</source>
        <translation>您的银行或支付账户拒绝了这笔付款，没有扣款。您可以重试，或到窗口缴纳。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="94"/>
        <source>No payment arrived in time, and no money was taken. If your phone shows that you paid, the platform will credit or refund it automatically.</source>
        <translation>在规定时间内没有收到付款，没有扣款。如您的手机显示已付款，平台会自动入账或退款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="97"/>
        <source>The payment was cancelled. No money was taken.</source>
        <translation>支付已取消，没有扣款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="98"/>
        <source>Your payment arrived after the time limit; the platform has credited it to the account.</source>
        <translation>您的付款在支付期限后到达，平台已为您入账。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="100"/>
        <source>Your payment arrived after the order had ended; the platform will pay it back to where it came from. There is nothing more to do.</source>
        <translation>您的付款在订单结束后才到达，平台将原路退回，您无需再做什么。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="103"/>
        <source>The kiosk could not reach the payment platform to confirm your payment. Please do not pay again. Take the slip: it has the order number %1 and how to check it; money taken is credited or refunded automatically.</source>
        <translation>本机无法连接缴费平台确认您的付款。请勿重复缴费。请取走凭条，上面有订单号%1和查询方法；如已扣款，平台会自动入账或退款。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="114"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="116"/>
        <source>Please take your slip.</source>
        <translation>请取走您的凭条。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/payment_words.py" line="118"/>
        <source>The slip could not be printed. Please write down the order number: %1</source>
        <translation>凭条没能打印出来，请记下订单号：%1</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <location filename="../../ui/screens/guide.py" line="157"/>
        <source>Before we read your card</source>
        <translation>读卡前请您了解</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="160"/>
        <source>The kiosk will read your name, gender, ethnicity, date of birth, ID number and card number from your card. They are used only for this application, sent to the government platform encrypted, and erased from this kiosk when you finish.</source>
        <translation>本机将从您的卡中读取姓名、性别、民族、出生日期、证件号码和卡号。这些信息仅用于本次业务办理，加密后发送到政务服务平台，办理结束后从本机清除。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/guide.py" line="170"/>
        <source>I agree, continue</source>
        <translation>同意并继续</translation>
    </message>
</context>
<context>
    <name>ProofsScreen</name>
    <message>
        <location filename="../../ui/screens/proofs.py" line="42"/>
        <source>Print an official proof</source>
        <translation>打印证明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="45"/>
        <source>Choose the proof you need. It is printed on A4 paper with a verification code that anyone can check.</source>
        <translation>请选择您需要的证明。证明打印在A4纸上，带有任何人都可查验的验证码。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="58"/>
        <source>Print it again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="59"/>
        <source>Back to the list</source>
        <translation>返回证明列表</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="67"/>
        <source>Social insurance contributions (社保参保缴费证明)</source>
        <translation>社保参保缴费证明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="68"/>
        <source>Medical insurance enrolment (医保参保证明)</source>
        <translation>医保参保证明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="69"/>
        <source>Housing fund deposits (公积金缴存证明)</source>
        <translation>公积金缴存证明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="70"/>
        <source>Individual income tax paid (个人所得税纳税记录)</source>
        <translation>个人所得税纳税记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="76"/>
        <location filename="../../ui/screens/proofs.py" line="77"/>
        <location filename="../../ui/screens/proofs.py" line="78"/>
        <source>Printing your proof on the A4 printer, please wait…</source>
        <translation>正在用A4打印机打印您的证明，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="79"/>
        <source>The A4 printer is out of paper. Please ask the staff to load paper, then print the proof again.</source>
        <translation>A4打印机缺纸。请联系工作人员加纸后重新打印证明。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="81"/>
        <source>Paper is jammed in the A4 printer. Please ask the staff to clear it, then print the proof again.</source>
        <translation>A4打印机卡纸。请联系工作人员处理后重新打印证明。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="83"/>
        <source>A cover of the A4 printer is open. Please ask the staff to close it, then print the proof again.</source>
        <translation>A4打印机盖板未关好。请联系工作人员关好后重新打印证明。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="85"/>
        <source>The A4 printer has run out of toner. Please ask the staff for help.</source>
        <translation>A4打印机墨粉已用完。请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="87"/>
        <source>The A4 printer is not answering (offline). Please ask the staff to check it, then print the proof again.</source>
        <translation>A4打印机无响应（离线）。请联系工作人员检查后重新打印证明。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="89"/>
        <source>This kiosk has no A4 printer. Proofs can be printed at a service window.</source>
        <translation>本机没有A4打印机。证明可到服务窗口打印。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="91"/>
        <source>The proof could not be printed. Please try again or ask the staff.</source>
        <translation>证明未能打印。请重试或联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="98"/>
        <source>The platform cannot be reached now, so no proof can be issued. Please try again later or ask at a service window.</source>
        <translation>暂时无法连接政务服务平台，不能出具证明。请稍后重试或到服务窗口办理。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="101"/>
        <source>No records were found for you, so no proof can be issued. Please ask at a service window.</source>
        <translation>未查询到您的记录，不能出具证明。请到服务窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="103"/>
        <source>The platform did not issue the proof. Please ask the staff.</source>
        <translation>平台未出具证明。请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="119"/>
        <source>Asking the platform for your proof: %1</source>
        <translation>正在向平台申请证明：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="123"/>
        <source>Your proof has been printed. Please take it from the A4 printer.</source>
        <translation>证明已打印，请从A4打印机取走。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/proofs.py" line="132"/>
        <source>Verification code: %1</source>
        <translation>验证码：%1</translation>
    </message>
</context>
<context>
    <name>QuestionsScreen</name>
    <message>
        <location filename="../../ui/screens/questions.py" line="33"/>
        <source>Some questions are available in Chinese only.</source>
        <translation>部分问题仅有中文。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="50"/>
        <source>Other questions</source>
        <translation>其他问题</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="52"/>
        <source>None of these: call staff</source>
        <translation>都不是，呼叫工作人员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="63"/>
        <source>Common questions: %1</source>
        <translation>常见问题：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="64"/>
        <source>Tap a question to see and hear its answer.</source>
        <translation>点击问题，查看并收听解答。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="66"/>
        <source>There are no common questions here yet. Staff can help.</source>
        <translation>这里暂时没有常见问题，可以请工作人员帮助。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="92"/>
        <location filename="../../ui/screens/questions.py" line="104"/>
        <source>Where to go:</source>
        <translation>去哪里办：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/questions.py" line="99"/>
        <source>This answer is available in Chinese only.</source>
        <translation>此解答仅有中文。</translation>
    </message>
</context>
<context>
    <name>QueueScreen</name>
    <message>
        <location filename="../../ui/screens/queue.py" line="61"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="87"/>
        <source>Taking a queue number, please wait…</source>
        <translation>正在为您取号，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="108"/>
        <source>No queue number could be given</source>
        <translation>暂时无法取号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="109"/>
        <source>Sorry, the kiosk could not give you a number. Please ask the staff at the service desk, or tap Call staff.</source>
        <translation>对不起，自助机暂时无法为您取号。请到服务台找工作人员，或点“呼叫工作人员”。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="118"/>
        <source>Your queue number</source>
        <translation>您的排队号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="123"/>
        <source>Please go to %1 and wait to be called.</source>
        <translation>请到%1等候叫号。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="127"/>
        <source>The network is not available, so this is a local number from this kiosk. Show it at the window: the staff will fit you in.</source>
        <translation>现在网络不通，这是本机临时号。请到窗口出示本号，工作人员会为您安排办理。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/queue.py" line="130"/>
        <source>%n person(s) waiting before you.</source>
        <translation>
            <numerusform>您前面还有 %n 人等候。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="132"/>
        <source>Printing your ticket…</source>
        <translation>正在打印排队号…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="136"/>
        <source>Your queue number is %1.</source>
        <translation>您的排队号是 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="142"/>
        <source>Please take your ticket.</source>
        <translation>请取走您的排队号小票。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/queue.py" line="145"/>
        <source>The ticket could not be printed. Please remember the number on the screen, or write it down.</source>
        <translation>小票没能打印出来。请记住屏幕上显示的号码，或者把它抄下来。</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <location filename="../../ui/screens/finish.py" line="21"/>
        <source>How satisfied are you with this service?</source>
        <translation>您对本次服务满意吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="23"/>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="24"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="25"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="26"/>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="27"/>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="35"/>
        <location filename="../../ui/screens/finish.py" line="59"/>
        <source>Why? Please choose one:</source>
        <translation>请选择不满意的原因：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="39"/>
        <source>Too slow</source>
        <translation>办理太慢</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="40"/>
        <source>Hard to understand</source>
        <translation>看不懂</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="41"/>
        <source>Device problem</source>
        <translation>设备故障</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="42"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../ui/screens/finish.py" line="48"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
</context>
<context>
    <name>ReceiptScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="28"/>
        <source>Your application has been accepted</source>
        <translation>您的申请已受理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="29"/>
        <source>Tracking number</source>
        <translation>受理编号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="49"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="56"/>
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="71"/>
        <source>Your application has been accepted. Your receipt is printing.</source>
        <translation>您的申请已受理，正在打印回执。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="72"/>
        <source>Your application has been accepted. Tracking number: %1. Your receipt is printing.</source>
        <translation>您的申请已受理，受理编号：%1。正在打印回执。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="77"/>
        <source>Please take your receipt</source>
        <translation>请取走您的回执</translation>
    </message>
    <message>
        <location filename="../../ui/screens/receipt.py" line="92"/>
        <source>Query code: %1 (write it down: you need it to check progress)</source>
        <translation>查询码：%1（请记下，查询办理进度时需要）</translation>
    </message>
</context>
<context>
    <name>RecordsScreen</name>
    <message>
        <location filename="../../ui/screens/records.py" line="39"/>
        <source>My applications and records</source>
        <translation>我的办件和个人记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="47"/>
        <source>Checking, please wait…</source>
        <translation>正在核验，请稍候…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="69"/>
        <location filename="../../ui/screens/records.py" line="228"/>
        <source>Please insert your social-security card or place your ID card on the pad</source>
        <translation>请插入社会保障卡，或将身份证放在感应区</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="71"/>
        <source>Or show the electronic card code on your phone to the scanner.</source>
        <translation>或者把手机上的电子社保卡、医保电子凭证二维码对准扫码器。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="74"/>
        <source>No card? Ask staff to help type your ID number</source>
        <translation>没有卡？请工作人员帮您输入身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="78"/>
        <source>Demo: insert the test card</source>
        <translation>演示：插入测试卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="81"/>
        <source>Demo: place the test ID card</source>
        <translation>演示：放置测试身份证</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="89"/>
        <source>Show my records (social insurance, medical insurance, housing fund, tax)</source>
        <translation>查看我的记录（社保、医保、公积金、个税）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="103"/>
        <source>Type your card&apos;s PIN (6 digits), then Confirm. Cover the keypad with your hand.</source>
        <translation>请输入社保卡密码（6位数字），然后点“确认”。输入时请用手遮挡键盘。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="110"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="111"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="136"/>
        <source>Back to my applications</source>
        <translation>返回我的办件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="138"/>
        <source>Print an official proof (A4)</source>
        <translation>打印证明（A4纸）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="167"/>
        <source>Back to my records</source>
        <translation>返回我的记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="203"/>
        <source>An ID card has no PIN: a member of staff confirms who you are with their own staff number and PIN.</source>
        <translation>身份证没有密码：请工作人员用本人工号和密码确认您的身份。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="253"/>
        <source>Checking your electronic card code…</source>
        <translation>正在核验您的电子凭证…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="258"/>
        <source>Reading your card, please do not remove it…</source>
        <translation>正在读卡，请不要拔出…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/records.py" line="276"/>
        <source>Wrong PIN. %n try/tries left before the card blocks it.</source>
        <translation>
            <numerusform>密码错误。再错 %n 次卡片密码将被锁定。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="296"/>
        <source>Identified: %1, %2</source>
        <translation>已识别：%1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="299"/>
        <source>Your applications on the platform and on this kiosk.</source>
        <translation>您在平台和本机办理的事项。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="301"/>
        <source>The platform cannot be reached: only the applications made on this kiosk are shown.</source>
        <translation>暂时连不上平台：只显示在本机办理的事项。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="323"/>
        <source>The PIN has 6 digits. Please type it again.</source>
        <translation>密码为6位数字，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records.py" line="330"/>
        <source>Only hall staff can confirm a citizen.</source>
        <translation>只有大厅工作人员可以确认群众身份。</translation>
    </message>
</context>
<context>
    <name>RecordsText</name>
    <message>
        <location filename="../../ui/screens/records_text.py" line="28"/>
        <source>on this kiosk, waiting to be sent</source>
        <translation>在本机，等待上传</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="29"/>
        <source>sent to the office</source>
        <translation>已发送到办理部门</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="30"/>
        <source>not accepted by the platform; please ask staff</source>
        <translation>平台未接收，请咨询工作人员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="31"/>
        <source>accepted by the office</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="32"/>
        <source>being processed</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="33"/>
        <source>approved</source>
        <translation>已办结（通过）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="34"/>
        <source>not approved</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="35"/>
        <source>ready for pickup</source>
        <translation>可以领取</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="42"/>
        <source>No applications found.</source>
        <translation>没有找到办件。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="45"/>
        <source>%1 — %2 (submitted %3)</source>
        <translation>%1 — %2（%3提交）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="48"/>
        <source>Tracking number: %1</source>
        <translation>受理编号：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="50"/>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="52"/>
        <source>(known to this kiosk only so far)</source>
        <translation>（目前只有本机有此记录）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="58"/>
        <source>pension</source>
        <translation>养老</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="58"/>
        <source>medical</source>
        <translation>医疗</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="59"/>
        <source>unemployment</source>
        <translation>失业</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="59"/>
        <source>work injury</source>
        <translation>工伤</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="71"/>
        <source>%1, employer: %2</source>
        <translation>%1，单位：%2</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="73"/>
        <source>Social insurance contributions</source>
        <translation>社会保险缴费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="77"/>
        <source>paid</source>
        <translation>已缴</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="77"/>
        <source>not yet paid</source>
        <translation>未缴</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="78"/>
        <source>%1: base %2 yuan, you paid %3 yuan (%4); %5</source>
        <translation>%1：缴费基数%2元，个人缴纳%3元（%4）；%5</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="81"/>
        <source>Medical insurance account</source>
        <translation>医保个人账户</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="82"/>
        <location filename="../../ui/screens/records_text.py" line="87"/>
        <source>Balance: %1 yuan</source>
        <translation>余额：%1元</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="84"/>
        <source>%1 %2: %3 yuan</source>
        <translation>%1 %2：%3元</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="86"/>
        <source>Housing fund</source>
        <translation>住房公积金</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="90"/>
        <source>%1: deposited %2 yuan</source>
        <translation>%1：缴存%2元</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="92"/>
        <source>Individual income tax</source>
        <translation>个人所得税</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="94"/>
        <source>%1: income %2 yuan, tax %3 yuan</source>
        <translation>%1：收入%2元，纳税%3元</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="101"/>
        <source>The card&apos;s PIN is blocked after three wrong tries. Your records stay closed; staff at the social-security counter can unblock it.</source>
        <translation>密码连续输错三次，卡片密码已锁定，无法查看记录；请到社保窗口由工作人员解锁。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="104"/>
        <source>The platform cannot be reached now, so your records cannot be shown. Please try again later or ask at the counter.</source>
        <translation>暂时连不上平台，无法显示您的记录。请稍后再试，或到窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="106"/>
        <source>The platform did not open your records. Please ask staff.</source>
        <translation>平台未开放您的记录，请咨询工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="107"/>
        <source>The platform holds no records for you.</source>
        <translation>平台上没有您的记录。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="108"/>
        <source>Something went wrong while asking the platform. Please try again or ask staff.</source>
        <translation>查询平台时出错，请重试或咨询工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="110"/>
        <source>The card was taken out. Please insert it again to check the PIN.</source>
        <translation>卡片已拔出。请重新插卡后再输入密码。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="112"/>
        <source>This kiosk cannot check a card PIN. Please ask staff.</source>
        <translation>本机无法核验卡片密码，请咨询工作人员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="113"/>
        <source>The PIN has 6 digits. Please type it again.</source>
        <translation>密码为6位数字，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="114"/>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/records_text.py" line="116"/>
        <source>Something went wrong. Please ask staff.</source>
        <translation>出现问题，请咨询工作人员。</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <location filename="../../ui/form_fields/region.py" line="92"/>
        <source>Choose again</source>
        <translation>重新选择</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/region.py" line="104"/>
        <source>Please choose the district</source>
        <translation>请先选择所在的区</translation>
    </message>
</context>
<context>
    <name>RelationField</name>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="65"/>
        <source>Change</source>
        <translation>重新选择</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="70"/>
        <source>Their card on the reader, or their ID number:</source>
        <translation>请家属刷卡，或输入家属的身份证号码：</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="129"/>
        <source>Waiting for the card or the number</source>
        <translation>等待刷卡或输入号码</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/relation.py" line="141"/>
        <source>Card read: %1, %2</source>
        <translation>已读卡：%1，%2</translation>
    </message>
</context>
<context>
    <name>ScrollPanel</name>
    <message>
        <location filename="../../ui/scroll_panel.py" line="44"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../ui/scroll_panel.py" line="46"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <location filename="../../ui/screens/search.py" line="40"/>
        <location filename="../../ui/screens/search.py" line="142"/>
        <source>Find a service</source>
        <translation>查找事项</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="141"/>
        <source>Find a service: %1</source>
        <translation>查找事项：%1</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="144"/>
        <source>Type the first letters of each syllable, e.g. YLJ for 养老金, or the whole pinyin.</source>
        <translation>请输入拼音首字母，例如“养老金”输入 YLJ，也可以输入完整拼音。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/search.py" line="151"/>
        <source>Nothing found. Delete a letter, or ask staff for help.</source>
        <translation>没有找到。请删除一个字母再试，或请工作人员帮忙。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/search.py" line="153"/>
        <source>%n service(s) found, best first.</source>
        <translation>
            <numerusform>找到 %n 项，最符合的排在前面。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServiceTiles</name>
    <message>
        <location filename="../../ui/service_tiles.py" line="26"/>
        <source>Needs the network: unavailable right now</source>
        <translation>需联网办理，暂不可用</translation>
    </message>
    <message>
        <location filename="../../ui/service_tiles.py" line="29"/>
        <source>Sent automatically once back online</source>
        <translation>联网后自动提交</translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message>
        <location filename="../../ui/screens/services.py" line="27"/>
        <source>Common questions about this department</source>
        <translation>本部门常见问题</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/screens/services.py" line="51"/>
        <source>%n service(s). Tap the one you need.</source>
        <translation>
            <numerusform>共 %n 项，请点击您要办理的事项。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="52"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="53"/>
        <source>Open</source>
        <translation>进入</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="56"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="79"/>
        <source>Your PIN</source>
        <translation>个人密码</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="79"/>
        <source>Your staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="97"/>
        <source>Enter your staff number first.</source>
        <translation>请先输入工号。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="111"/>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/staff_sign_in.py" line="136"/>
        <source>Too many wrong attempts. Locked for %n minute(s).</source>
        <translation>
            <numerusform>错误次数过多，已锁定 %n 分钟。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/staff_sign_in.py" line="138"/>
        <source>No staff credentials on this kiosk yet. They come from the platform, or root sets a local one with: kiosk technician set-pin</source>
        <translation>本机尚无工作人员凭据。凭据由平台下发；从未联网的设备，可由管理员（root）在本机执行：kiosk technician set-pin</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/staff_sign_in.py" line="141"/>
        <source>Staff number or PIN not recognised. %n tries left.</source>
        <translation>
            <numerusform>工号或密码不正确，还可尝试 %n 次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffClearPanel</name>
    <message>
        <location filename="../../ui/call_clear.py" line="31"/>
        <source>Staff sign-in to clear the call</source>
        <translation>工作人员登录以处理呼叫</translation>
    </message>
    <message>
        <location filename="../../ui/call_clear.py" line="60"/>
        <source>%1 is signed in as a technician; calls are cleared by hall staff.</source>
        <translation>%1以技术人员身份登录；呼叫须由大厅工作人员处理。</translation>
    </message>
</context>
<context>
    <name>SubmittingScreen</name>
    <message>
        <location filename="../../ui/screens/receipt.py" line="19"/>
        <source>Submitting, please wait…</source>
        <translation>正在提交，请稍候…</translation>
    </message>
</context>
<context>
    <name>TechnicianDevices</name>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="28"/>
        <source>resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="29"/>
        <source>social-security card</source>
        <translation>社保卡</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="33"/>
        <source>electronic card code</source>
        <translation>电子卡码</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="34"/>
        <source>receipt QR code</source>
        <translation>回执二维码</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="35"/>
        <source>a code the kiosk does not use</source>
        <translation>本终端不使用的码</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="42"/>
        <source>not a social-security card (another kind of card, or the wrong way round)</source>
        <translation>不是社保卡（其他种类的卡，或插反了）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="44"/>
        <source>the card was taken out during the read</source>
        <translation>读卡过程中卡被拔出</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="45"/>
        <source>the card did not answer in time</source>
        <translation>卡片未及时应答</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="46"/>
        <source>the card could not be read (dirty, damaged or badly placed)</source>
        <translation>无法读取卡片（卡面脏污、损坏或放置不当）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="48"/>
        <source>unreadable card: its data is not as expected</source>
        <translation>无法识别的卡：数据格式不符</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="50"/>
        <source>unreadable card: it does not answer</source>
        <translation>无法识别的卡：卡片无应答</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="51"/>
        <source>the reader or its service is not available</source>
        <translation>读卡器或其服务不可用</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="53"/>
        <source>the device is not started</source>
        <translation>设备未启动</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="54"/>
        <source>the code was too long and was dropped</source>
        <translation>码过长，已丢弃</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="55"/>
        <source>the code stopped arriving before its end</source>
        <translation>码未接收完整</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="56"/>
        <source>the code is no text in the configured encoding</source>
        <translation>码不是所配置编码的文本</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="64"/>
        <source>%1: not there (%2)</source>
        <translation>%1：未连接（%2）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="67"/>
        <source>No card reader or scanner is there to test: check the cable and the settings ([reader], [scanner]).</source>
        <translation>没有可测试的读卡器或扫码器：请检查连线和设置（[reader]、[scanner]）。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="70"/>
        <source>%1: a card is in the reader</source>
        <translation>%1：读卡器中有卡</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="72"/>
        <source> (ATR: %1)</source>
        <translation>（ATR：%1）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="75"/>
        <source>%1: read a %2. The reader works.</source>
        <translation>%1：读到一张%2。读卡器正常。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="78"/>
        <source>%1: read an %2 (%3 characters). The scanner works.</source>
        <translation>%1：读到一个%2（%3 个字符）。扫码器正常。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="82"/>
        <source>No card and no code within %1 seconds.</source>
        <translation>%1 秒内没有读到卡或码。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="84"/>
        <source>%1: fault: %2</source>
        <translation>%1：故障：%2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="93"/>
        <source>Card readers and QR code scanner</source>
        <translation>读卡器和扫码器</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="99"/>
        <source>Test read</source>
        <translation>测试读卡</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="110"/>
        <source>Card reader %1 (%2): %3</source>
        <translation>读卡器 %1（%2）：%3</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="112"/>
        <location filename="../../ui/technician_pages/devices.py" line="122"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="113"/>
        <location filename="../../ui/technician_pages/devices.py" line="123"/>
        <source>NOT THERE</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="117"/>
        <source>No card reader is configured.</source>
        <translation>未配置读卡器。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="120"/>
        <source>QR code scanner %1: %2; %3 code(s) read since the start</source>
        <translation>扫码器 %1：%2；启动以来读码 %3 次</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="128"/>
        <source>No QR code scanner is configured ([scanner] port).</source>
        <translation>未配置扫码器（[scanner] port）。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="134"/>
        <source>Nothing read since the start.</source>
        <translation>启动以来尚未读到任何卡或码。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="135"/>
        <source>Last: %1 at %2</source>
        <translation>最近一次：%1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="141"/>
        <source>Test read: present a card or a code within %1 seconds…</source>
        <translation>测试读卡：请在 %1 秒内放卡或出示码…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/devices.py" line="155"/>
        <source>Test read finished.</source>
        <translation>测试读卡结束。</translation>
    </message>
</context>
<context>
    <name>TechnicianPages</name>
    <message>
        <location filename="../../ui/technician_pages/base.py" line="66"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/base.py" line="73"/>
        <source>The check failed: %1</source>
        <translation>检查失败：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="24"/>
        <source>Outbox</source>
        <translation>待上传队列</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="30"/>
        <source>Send the quarantined records again</source>
        <translation>重新发送隔离的记录</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="40"/>
        <source>Export waiting records to the stick</source>
        <translation>导出待发送记录到U盘</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="42"/>
        <source>Read the acknowledgement back</source>
        <translation>从U盘读回确认</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="61"/>
        <source>Waiting: %1, being sent: %2, delivered: %3, quarantined: %4</source>
        <translation>等待：%1，发送中：%2，已送达：%3，已隔离：%4</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="71"/>
        <source>The oldest record has waited %1.</source>
        <translation>最早的记录已等待 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="76"/>
        <source>Quarantined (newest first):</source>
        <translation>已隔离（最新的在前）：</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="79"/>
        <source>Nothing is quarantined.</source>
        <translation>没有隔离的记录。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="89"/>
        <source>Not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="97"/>
        <source>%1 record(s) will be sent at the next sync.</source>
        <translation>%1 条记录将在下次同步时发送。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="110"/>
        <source>%1 waiting record(s) written to the stick, signed and sealed. The stick is unmounted: take it to the platform.</source>
        <translation>已将 %1 条待发送记录写入U盘（已签名、已密封）。U盘已卸载：请带到平台。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="117"/>
        <source>Acknowledged by the platform: %1 record(s); refused (now quarantined): %2; already settled: %3. The stick is unmounted.</source>
        <translation>平台已确认：%1 条记录；被拒绝（已隔离）：%2 条；此前已处理：%3 条。U盘已卸载。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="123"/>
        <source>%1 acknowledgement file(s) could not be used (not signed by this kiosk&apos;s platform): see the log.</source>
        <translation>%1 个确认文件无法使用（不是本终端平台签发的）：请查看日志。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="131"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="140"/>
        <source>Kiosk software %1 (Python %2) on %3</source>
        <translation>终端软件 %1（Python %2），运行于 %3</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="144"/>
        <source>Running for %1; the machine for %2</source>
        <translation>本程序已运行 %1；本机已运行 %2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="147"/>
        <source>Processor load (1, 5, 15 min): %1</source>
        <translation>处理器负载（1、5、15 分钟）：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="150"/>
        <source>Memory: %1 free of %2</source>
        <translation>内存：共 %2，可用 %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="153"/>
        <source>Disk (data directory): %1 free of %2</source>
        <translation>磁盘（数据目录）：共 %2，可用 %1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="156"/>
        <source>Chinese font: %1</source>
        <translation>中文字体：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="158"/>
        <source>present</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="160"/>
        <source>MISSING: install fonts-noto-cjk</source>
        <translation>缺失：请安装 fonts-noto-cjk</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="162"/>
        <source>Voice: %1</source>
        <translation>语音：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="163"/>
        <source>Settings:</source>
        <translation>设置：</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="171"/>
        <source>Log (last lines)</source>
        <translation>日志（最近几行）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="176"/>
        <source>Export the log and the diagnostic report to the stick</source>
        <translation>导出日志和诊断报告到U盘</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="182"/>
        <source>%1 log line(s) (redacted) and the diagnostic report written to the stick. The stick is unmounted.</source>
        <translation>已将 %1 行日志（已脱敏）和诊断报告写入U盘。U盘已卸载。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="196"/>
        <source>The log is empty.</source>
        <translation>日志是空的。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="210"/>
        <source>Network and platform</source>
        <translation>网络与平台</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="218"/>
        <source>never since the kiosk started</source>
        <translation>本程序启动以来没有</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="220"/>
        <source>Platform: %1</source>
        <translation>平台：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="224"/>
        <source>Answer time: %1 ms</source>
        <translation>应答时间：%1 毫秒</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="227"/>
        <source>TLS certificate valid for %1 more day(s)</source>
        <translation>TLS 证书还有 %1 天到期</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="230"/>
        <source>Clock difference to the platform: %1 s</source>
        <translation>与平台的时钟差：%1 秒</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="233"/>
        <source>Last upload that went through: %1</source>
        <translation>最近一次成功上传：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/pages.py" line="237"/>
        <source>Last error (%1 in a row): %2</source>
        <translation>最近的错误（连续 %1 次）：%2</translation>
    </message>
</context>
<context>
    <name>TechnicianPanel</name>
    <message>
        <location filename="../../ui/technician.py" line="69"/>
        <source>Diagnostics</source>
        <translation>设备诊断</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="82"/>
        <source>Check again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="84"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="87"/>
        <source>Reprint the last receipt</source>
        <translation>补打最近一张回执</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="89"/>
        <source>New paper roll fitted</source>
        <translation>已换新纸卷</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="91"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="92"/>
        <source>Quit the kiosk program</source>
        <translation>退出终端程序</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="114"/>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="114"/>
        <source>Readers</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="115"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="115"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="116"/>
        <source>Outbox</source>
        <translation>待上传队列</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="117"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="117"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="171"/>
        <source>%1 is signed in as hall staff; the technician panel needs a technician.</source>
        <translation>%1 以大厅工作人员身份登录；技术维护面板仅限技术人员使用。</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="175"/>
        <source>Signed in: %1 (%2)</source>
        <translation>已登录：%1（工号 %2）</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="191"/>
        <source>Checking…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="197"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="210"/>
        <source>New paper roll recorded: about %1 receipts left.</source>
        <translation>已记录新纸卷：约可打印 %1 张回执。</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="215"/>
        <source>The new paper roll was not recorded: %1</source>
        <translation>新纸卷未能记录：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="219"/>
        <source>The print job failed: %1</source>
        <translation>打印任务失败：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="223"/>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="223"/>
        <source>Not printed: %1</source>
        <translation>未打印：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician.py" line="233"/>
        <source>The check failed: %1</source>
        <translation>检测失败：%1</translation>
    </message>
</context>
<context>
    <name>TechnicianPrinters</name>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="24"/>
        <source>cannot report its status (file or spooler); prints without checking</source>
        <translation>无法报告状态（文件或打印队列）；打印时不检查</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="27"/>
        <location filename="../../ui/technician_pages/printers.py" line="41"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="28"/>
        <source>ready, but the paper roll is nearly used up</source>
        <translation>就绪，但纸卷快用完了</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="30"/>
        <source>OUT OF PAPER: fit a new roll</source>
        <translation>缺纸：请装新纸卷</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="31"/>
        <source>the cover is open: close it</source>
        <translation>上盖打开：请合上</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="32"/>
        <location filename="../../ui/technician_pages/printers.py" line="48"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="33"/>
        <source>in error (cutter or mechanism)</source>
        <translation>故障（切刀或机构）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="34"/>
        <source>does not answer (not connected or switched off)</source>
        <translation>无应答（未连接或未开机）</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="42"/>
        <source>printing</source>
        <translation>正在打印</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="43"/>
        <source>OUT OF PAPER: load A4 paper</source>
        <translation>缺纸：请装A4纸</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="44"/>
        <source>PAPER JAM: open the printer and take out the sheet</source>
        <translation>卡纸：请打开打印机取出纸张</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="46"/>
        <source>a cover or door is open</source>
        <translation>盖板或仓门打开</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="47"/>
        <source>out of toner or ink</source>
        <translation>墨粉或墨水用完</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="49"/>
        <source>no such queue in CUPS</source>
        <translation>CUPS 中没有该打印队列</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="50"/>
        <source>in error</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="56"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="61"/>
        <source>Receipt printer: test page</source>
        <translation>凭条打印机：测试页</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="64"/>
        <source>A4 printer: test page</source>
        <translation>A4打印机：测试页</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="74"/>
        <source>Receipt printer (%1): %2</source>
        <translation>凭条打印机（%1）：%2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="80"/>
        <source>The paper counters cannot be read: %1</source>
        <translation>无法读取纸张计数：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="83"/>
        <source>Printed: %1 receipt(s), %2 m of paper; no roll change recorded yet, so nothing is predicted (press “New paper roll fitted” on the overview when you fit one).</source>
        <translation>已打印：%1 张凭条，%2 米纸；尚未记录换纸，因此无法预测（装新纸卷时请在概览页按“已装新纸卷”）。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="89"/>
        <source>Since the roll was fitted (%1, by %2): %3 receipt(s), %4 m of paper.</source>
        <translation>本纸卷装上以来（%1，由 %2）：%3 张凭条，%4 米纸。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="93"/>
        <source>Left: about %1 receipt(s) (%2 m, %3% of the roll).</source>
        <translation>剩余：约 %1 张凭条（%2 米，纸卷的 %3%）。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="98"/>
        <source>The roll is nearly used up: bring a new one.</source>
        <translation>纸卷快用完了：请带新纸卷来。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="102"/>
        <source>A4 printer: none configured ([a4_printer] queue); official proofs cannot print.</source>
        <translation>A4打印机：未配置（[a4_printer] queue）；无法打印证明。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="105"/>
        <source>A4 printer (%1): %2</source>
        <translation>A4打印机（%1）：%2</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="119"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="122"/>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="123"/>
        <source>Not printed: %1</source>
        <translation>未打印：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/printers.py" line="128"/>
        <source>The print job failed: %1</source>
        <translation>打印任务失败：%1</translation>
    </message>
</context>
<context>
    <name>TechnicianUsb</name>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="26"/>
        <source>The stick is not plugged in any more: plug it in and look for sticks again.</source>
        <translation>U盘已不在：请插上后重新查找。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="28"/>
        <source>The stick could not be mounted: %1</source>
        <translation>U盘无法挂载：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="29"/>
        <source>The stick could not be unmounted: %1. Wait a moment before taking it out.</source>
        <translation>U盘无法卸载：%1。请稍等再拔出。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="31"/>
        <source>The stick holds no filesystem the kiosk can read (format it as FAT32 or exFAT).</source>
        <translation>U盘上没有终端能读取的文件系统（请格式化为 FAT32 或 exFAT）。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="33"/>
        <source>The kiosk cannot reach USB sticks: %1</source>
        <translation>终端无法访问U盘：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="34"/>
        <source>The stick is read-only (is its write protection on?). Nothing was written.</source>
        <translation>U盘是只读的（是否打开了写保护？）。未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="36"/>
        <source>The stick is full. Free some space on it and try again.</source>
        <translation>U盘已满。请腾出空间后重试。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="38"/>
        <source>The kiosk may not write on this stick (its files belong to another user): %1</source>
        <translation>终端无权写入此U盘（其文件属于其他用户）：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="40"/>
        <source>This is not a kiosk-transfer stick: it holds no acknowledgement folder for this kiosk.</source>
        <translation>这不是终端传输用的U盘：上面没有本终端的确认文件夹。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="42"/>
        <source>This kiosk is not enrolled with the platform: %1</source>
        <translation>本终端未在平台注册：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="44"/>
        <location filename="../../ui/technician_pages/usb.py" line="117"/>
        <source>The stick could not be used: %1</source>
        <translation>U盘无法使用：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="58"/>
        <source>Look for USB sticks</source>
        <translation>查找U盘</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="70"/>
        <source>Looking for USB sticks…</source>
        <translation>正在查找U盘…</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="73"/>
        <source>The USB sticks could not be listed: %1</source>
        <translation>无法列出U盘：%1</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="85"/>
        <source>No USB stick found: plug one in and look again.</source>
        <translation>未找到U盘：请插上后重新查找。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="90"/>
        <source>Tap the stick to use.</source>
        <translation>请点选要使用的U盘。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="96"/>
        <source>Stick chosen: %1 (%2). It is mounted only for the job, then unmounted.</source>
        <translation>已选择U盘：%1（%2）。仅在操作时挂载，完成后卸载。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="104"/>
        <source>Choose a USB stick first: look for USB sticks, then tap one.</source>
        <translation>请先选择U盘：先查找U盘，再点选一个。</translation>
    </message>
    <message>
        <location filename="../../ui/technician_pages/usb.py" line="107"/>
        <source>Working on the stick… do not take it out.</source>
        <translation>正在读写U盘…请勿拔出。</translation>
    </message>
</context>
<context>
    <name>TextField</name>
    <message>
        <location filename="../../ui/form_fields/text.py" line="45"/>
        <source>Erase</source>
        <translation>删字</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="46"/>
        <source>Delete the last character</source>
        <translation>删掉最后一个字</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="49"/>
        <source>Earlier candidates</source>
        <translation>前一组候选字</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="51"/>
        <source>More candidates</source>
        <translation>后一组候选字</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/text.py" line="153"/>
        <source>Type pinyin, tap a word</source>
        <translation>请输入拼音，再点选汉字</translation>
    </message>
</context>
<context>
    <name>TileList</name>
    <message>
        <location filename="../../ui/tile_list.py" line="226"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 / %2 页</translation>
    </message>
</context>
<context>
    <name>TilePager</name>
    <message>
        <location filename="../../ui/tile_pager.py" line="57"/>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../ui/tile_pager.py" line="60"/>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../ui/tile_pager.py" line="201"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 / %2 页</translation>
    </message>
</context>
<context>
    <name>TrackScreen</name>
    <message>
        <location filename="../../ui/screens/track.py" line="31"/>
        <source>Check the progress of an application</source>
        <translation>查询办理进度</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="61"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="62"/>
        <source>Change the number</source>
        <translation>修改编号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="89"/>
        <source>Type the digits of the tracking number on your receipt (date, number and the last digit).</source>
        <translation>请输入回执上受理编号中的数字（日期、序号和最后一位校验数字）。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="64"/>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="42"/>
        <source>Or hold the QR code on your receipt under the scanner.</source>
        <translation>也可以把回执上的二维码对准扫描器。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="48"/>
        <source>Demo: scan the last receipt printed</source>
        <translation>演示：扫描最近打印的回执</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="100"/>
        <source>Now type the query code printed under the tracking number on your receipt.</source>
        <translation>请输入回执上受理编号下方的查询码。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="123"/>
        <location filename="../../ui/screens/track.py" line="130"/>
        <source>This number is not complete or has a typing mistake. Please check it against your receipt.</source>
        <translation>编号不完整或输入有误，请对照回执核对。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="133"/>
        <source>The query code is not complete. It has 8 digits and is printed under the tracking number.</source>
        <translation>查询码不完整。查询码共 8 位数字，印在受理编号下方。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="137"/>
        <source>No application matches this number and query code. Please check both against your receipt, or ask at the counter.</source>
        <translation>受理编号与查询码不匹配，或没有这条记录。请对照回执核对，或到窗口咨询。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="140"/>
        <source>%1: %2 (submitted %3)</source>
        <translation>%1：%2（提交日期 %3）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="160"/>
        <source>accepted, waiting to be sent to the office</source>
        <translation>已受理，等待上传至办理部门</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="161"/>
        <source>accepted by the office</source>
        <translation>办理部门已接收</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="162"/>
        <source>being processed</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="163"/>
        <source>approved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="164"/>
        <source>not approved; please ask at the counter</source>
        <translation>未通过，请到窗口咨询</translation>
    </message>
    <message>
        <location filename="../../ui/screens/track.py" line="165"/>
        <source>ready for pickup</source>
        <translation>可以领取</translation>
    </message>
</context>
<context>
    <name>YesNoField</name>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="101"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/form_fields/choice.py" line="102"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
</TS>
